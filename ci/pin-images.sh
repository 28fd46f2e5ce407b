#!/usr/bin/env bash
# Pins the agent images of ci/pods/*.yaml: each `image:` line is preceded by a comment naming the image and
# tag it stands for (`# aquasec/trivy:0.74.0`); this resolves that tag to the digest the registry serves now
# and rewrites the `image:` line to `<registry>/<repository>@sha256:<digest>`.
#   ci/pin-images.sh            # rewrite every pod template (needs registry access: crane or skopeo)
#   ci/pin-images.sh --check    # list the images whose digest is not pinned yet (all zeros); exit 1 if any
# Bump a tool by editing the comment, run this, review the diff.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2

UNPINNED="sha256:0000000000000000000000000000000000000000000000000000000000000000"

resolve() { # image:tag -> sha256:...
  local ref="$1"
  case "$ref" in */*/*) ;; *) ref="docker.io/${ref}" ;; esac
  case "$ref" in docker.io/*/*) ;; docker.io/*) ref="docker.io/library/${ref#docker.io/}" ;; esac
  if command -v crane > /dev/null 2>&1; then crane digest "$ref"
  else skopeo inspect --format '{{.Digest}}' "docker://${ref}"; fi
}

status=0
for pod in ci/pods/*.yaml; do
  previous=""
  mapfile -t lines < "$pod"
  for line in "${lines[@]}"; do
    if [[ "$line" =~ ^[[:space:]]*image:[[:space:]]*([^@]+)@(sha256:[0-9a-f]{64})$ ]]; then
      repo="${BASH_REMATCH[1]}" digest="${BASH_REMATCH[2]}"
      ref="$(sed -E 's/^[[:space:]]*#[[:space:]]*([^[:space:]]+).*/\1/' <<< "$previous")"
      if [ "${1:-}" = --check ]; then
        if [ "$digest" = "$UNPINNED" ]; then log "${pod}: ${ref} is not pinned"; status=1; fi
      else
        new="$(resolve "$ref")"
        log "${pod}: ${ref} -> ${new}"
        sed -i "s#${repo}@${digest}#${repo}@${new}#" "$pod"
      fi
    fi
    previous="$line"
  done
done
exit "$status"
