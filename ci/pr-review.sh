#!/usr/bin/env bash
# Pull requests: review what the change does and say so in ONE comment on the pull request, edited in place
# on every build, plus a commit status.
#   ci/pr-review.sh                       # in Jenkins: CHANGE_ID, CHANGE_TARGET, CHANGE_URL, BUILD_URL set
#   CHANGE_TARGET=main ci/pr-review.sh    # on a laptop: writes reports/review/ and posts nothing
#   REVIEW_AGAINST=HEAD~3 ci/pr-review.sh # review against any git ref instead of origin/<target>
#
# 1. shipyard diff --against origin/<target> (json and markdown), shipyard check (markdown and sarif),
#    shipyard cost --against origin/<target> (markdown) into reports/review/;
# 2. ci/pr-comment.mjs folds them into comment.md (per-stack <details>, a banner when anything is destroyed or
#    replaced, capped under 65,536 characters) and report.md (everything; archived, linked from the comment);
# 3. with GITHUB_TOKEN (the GitHub App installation token bound by withCredentials): find the comment that
#    carries the marker and PATCH it, or POST the first one; then set the `shipyard/review` commit status.
# Exit: 0 clean, 1 policy findings (the status says failure too), 2 a report could not be produced.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2
out="${REPORTS}/review"
mkdir -p "$out"

target="${CHANGE_TARGET:-main}"
against="${REVIEW_AGAINST:-origin/${target}}"
if ! git rev-parse --verify -q "${against}^{commit}" > /dev/null; then
  git fetch --no-tags origin "+refs/heads/${target}:refs/remotes/origin/${target}"
fi
head_sha="${PR_HEAD_SHA:-$(git rev-parse -q --verify HEAD^2 || commit_sha)}"

shipyard diff --against "$against" --format json > "${out}/diff.json" || die "shipyard diff failed"
shipyard diff --against "$against" --format markdown > "${out}/diff.md" || die "shipyard diff failed"
# A fresh agent: the pinned Checkov that shipyard check runs (nothing when SHIPYARD_CHECKOV names one).
bash "${CI_ROOT}/ci/install-tools.sh" checkov >&2 || die "could not install checkov"
check_status=0
shipyard check --format markdown > "${out}/check.md" || check_status=$?
shipyard check --format sarif > "${out}/check.sarif" || true
# Exit 2: bad input, or checkov missing (the agent needs it as .ci/run installs it): a review without the
# policy check is not a review.
[ "$check_status" -le 1 ] || die "shipyard check could not run (exit ${check_status}; see ${out}/check.md)"
shipyard cost --against "$against" --format markdown > "${out}/cost.md" || die "shipyard cost failed"

report_url="${BUILD_URL:-}artifact/${out}/report.md"
node "${CI_ROOT}/ci/pr-comment.mjs" --dir "$out" --report-url "$report_url" --check-status "$check_status" --commit "$head_sha"
log "review written to ${out}/comment.md ($(wc -c < "${out}/comment.md") characters) and ${out}/report.md"

if [ -z "${GITHUB_TOKEN:-}" ] || [ -z "${CHANGE_ID:-}" ]; then
  log "no GITHUB_TOKEN or CHANGE_ID: not posting"
  exit "$check_status"
fi

api="${GITHUB_API_URL:-https://api.github.com}"
# owner/name from https://github.com/<owner>/<name>/pull/<n>
repo="${GITHUB_REPOSITORY:-$(printf '%s\n' "${CHANGE_URL:-}" | sed -E 's#^https?://[^/]+/([^/]+/[^/]+)/pull/.*#\1#')}"
[ -n "$repo" ] || die "cannot tell the repository: set CHANGE_URL or GITHUB_REPOSITORY"

# One GitHub API call; the token goes to curl through its config on stdin, never on a command line.
gh_api() {
  local method="$1" path="$2" data="${3:-}"
  local args=(-sS --fail-with-body -X "$method" -H "Accept: application/vnd.github+json"
    -H "X-GitHub-Api-Version: 2022-11-28" --config -)
  [ -z "$data" ] || args+=(-H "Content-Type: application/json" --data-binary "@${data}")
  printf 'header = "Authorization: Bearer %s"\n' "$GITHUB_TOKEN" | curl "${args[@]}" "${api}${path}"
}

json_body() { # file -> {"body": "..."} in <file>.json
  node -e 'const fs=require("fs");fs.writeFileSync(process.argv[2],JSON.stringify({body:fs.readFileSync(process.argv[1],"utf8")}))' "$1" "$1.json"
}

# The comment of an earlier build: the first one whose body starts with the marker.
comment_id=""
page=1
while [ -z "$comment_id" ]; do
  gh_api GET "/repos/${repo}/issues/${CHANGE_ID}/comments?per_page=100&page=${page}" > "${out}/comments.json"
  found="$(node -e '
    const list = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const hit = list.find((c) => typeof c.body === "string" && c.body.startsWith("<!-- shipyard-review -->"));
    console.log(hit ? hit.id : list.length < 100 ? "none" : "");
  ' "${out}/comments.json")"
  rm -f "${out}/comments.json"
  if [ "$found" = "none" ]; then break; fi
  comment_id="$found"
  page=$((page + 1))
done

json_body "${out}/comment.md"
if [ -n "$comment_id" ]; then
  log "editing review comment ${comment_id}"
  gh_api PATCH "/repos/${repo}/issues/comments/${comment_id}" "${out}/comment.md.json" > /dev/null
else
  log "posting the review comment"
  gh_api POST "/repos/${repo}/issues/${CHANGE_ID}/comments" "${out}/comment.md.json" > /dev/null
fi
rm -f "${out}/comment.md.json"

state=success
description="Shipyard review: no policy findings"
if [ "$check_status" -ne 0 ]; then state=failure; description="Shipyard review: policy findings"; fi
node -e 'console.log(JSON.stringify({state:process.argv[1],context:"shipyard/review",description:process.argv[2],target_url:process.argv[3]}))' \
  "$state" "$description" "$report_url" > "${out}/status.json"
gh_api POST "/repos/${repo}/statuses/${head_sha}" "${out}/status.json" > /dev/null
rm -f "${out}/status.json"
exit "$check_status"
