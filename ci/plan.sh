#!/usr/bin/env bash
# Plan one environment and publish the summary (release tags: before the prod approval).
#   ci/plan.sh prod
# Writes reports/plan/<env>.log (the plans) and reports/plan/<env>.md (the summary people approve: what the
# tag changes against the previous release, and which stacks the plan touches).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2
env="${1:-}"
[ -n "$env" ] || die "usage: ci/plan.sh <env>"
out="${REPORTS}/plan"
mkdir -p "$out"

terraform_context "$env"
tag="$(commit_sha)"
status=0
shipyard plan --env "$env" > "${out}/${env}.log" 2>&1 || status=$?
{
  printf '# Plan of %s for %s\n\n' "$env" "${TAG_NAME:-$tag}"
  if [ "$status" -eq 0 ]; then printf 'The plan succeeded.\n\n'; else printf '**The plan failed (exit %s).**\n\n' "$status"; fi
  printf '```\n'
  tail -n 60 "${out}/${env}.log"
  printf '```\n'
} > "${out}/${env}.md"
cat "${out}/${env}.md"
exit "$status"
