#!/usr/bin/env bash
# Release notes of a tag: what it changes against the previous release tag, from `shipyard diff` between
# the two tags' reviewed generated/ snapshots, plus the commits in between.
#   ci/release-notes.sh [TAG]     # default: TAG_NAME, or the tag at HEAD
# Writes reports/release/notes.md (archived with the prod plan).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2
out="${REPORTS}/release"
mkdir -p "$out"

tag="${1:-${TAG_NAME:-$(git describe --tags --exact-match HEAD 2> /dev/null || true)}}"
[ -n "$tag" ] || die "usage: ci/release-notes.sh TAG (HEAD carries no tag)"
previous="$(git describe --tags --abbrev=0 --match 'v[0-9]*.[0-9]*.[0-9]*' "${tag}^" 2> /dev/null || true)"

{
  printf '# Release %s\n\n' "$tag"
  if [ -z "$previous" ]; then
    printf 'First release: everything in generated/ is new.\n\n'
    shipyard diff --against generated --format markdown
  else
    printf 'Changes since %s.\n\n' "$previous"
    shipyard diff --against "$previous" --format markdown
    printf '\n## Commits\n\n'
    git log --no-merges --format='- %h %s' "${previous}..${tag}"
  fi
} > "${out}/notes.md"
cat "${out}/notes.md"
