#!/usr/bin/env bash
# After Ansible: the applications answer through their public ingress.
#   ci/smoke-test.sh dev
# Each application with an ingress must answer 200 on https://<host>/healthz within the retries
# (generated/ci/<env>.json lists the URLs); an environment without public applications passes.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2
env="${1:-}"
[ -n "$env" ] || die "usage: ci/smoke-test.sh <env>"
out="${REPORTS}/smoke"
mkdir -p "$out"

: > "${out}/${env}.txt"
failed=0
for url in $(env_fact "$env" smokeUrls); do
  if curl -fsS --max-time 10 --retry "${SMOKE_RETRIES:-12}" --retry-delay 5 --retry-all-errors -o /dev/null "$url"; then
    printf 'ok %s\n' "$url" | tee -a "${out}/${env}.txt"
  else
    printf 'FAILED %s\n' "$url" | tee -a "${out}/${env}.txt"
    failed=1
  fi
done
exit "$failed"
