#!/usr/bin/env bash
# Nightly drift detection: `shipyard plan --all --detailed-exitcode` of every stack of every environment
# (exit 3 when a plan has changes), reported, never applied.
#   ci/drift.sh [env ...]        # default: every environment in generated/ci/
# Terraform Cloud tokens: TF_TOKEN_PROD for prod-tier environments, TF_TOKEN_NONPROD for the others (both
# bound by withCredentials); each becomes TF_TOKEN_app_terraform_io for its environment only.
# Exit: 0 no drift anywhere, 1 drift or a failed plan (reports/drift/summary.md says which).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2
out="${REPORTS}/drift"
mkdir -p "$out"

envs=("$@")
if [ "${#envs[@]}" -eq 0 ]; then
  for file in generated/ci/*.json; do envs+=("$(basename "$file" .json)"); done
fi

result=0
printf '# Drift report\n\n| environment | result |\n| --- | --- |\n' > "${out}/summary.md"
for env in "${envs[@]}"; do
  if [ "$(env_fact "$env" tier)" = prod ]; then token="${TF_TOKEN_PROD:-}"; else token="${TF_TOKEN_NONPROD:-}"; fi
  status=0
  (
    [ -z "$token" ] || export TF_TOKEN_app_terraform_io="$token"
    use_deployer_role "$env"
    shipyard plan --env "$env" --all --detailed-exitcode
  ) > "${out}/${env}.log" 2>&1 || status=$?
  case "$status" in
    0) verdict="no drift" ;;
    3) verdict="drift: the plan has changes"; result=1 ;;
    2) verdict="bad input"; result=1 ;;
    *) verdict="plan failed (exit ${status})"; result=1 ;;
  esac
  printf '| %s | %s |\n' "$env" "$verdict" >> "${out}/summary.md"
  log "${env}: ${verdict}"
done
cat "${out}/summary.md"
exit "$result"
