#!/usr/bin/env bash
# Shared helpers of the ci/*.sh stage scripts. Sourced, never run. Every stage script also runs on a
# laptop: the Jenkins variables it reads (BRANCH_NAME, TAG_NAME, CHANGE_ID, GIT_COMMIT, BUILD_URL …) all
# have laptop fallbacks.
#
# Secrets: scripts get credentials only through variables that Jenkins' withCredentials binds (GITHUB_TOKEN,
# TF_TOKEN_*) and the pod's own AWS identity (IRSA or Pod Identity); tracing stays off (`set +x`) so
# nothing echoes them, and no report or log written under reports/ ever contains one.

set -euo pipefail
set +x

CI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CI_ROOT
REPORTS="${REPORTS:-reports}"

# The build agent's root container (ci/pods/build.yaml) works in a checkout the agent's user may own: git
# refuses such a repository ("dubious ownership") unless it is named safe. Named for this process and its
# children only (command-scope config in the environment); no git config file is written.
if [ "$(id -u)" = 0 ] && [ -e "${CI_ROOT}/.git" ] && [ "$(stat -c %u "$CI_ROOT")" != 0 ]; then
  n="${GIT_CONFIG_COUNT:-0}"
  export "GIT_CONFIG_KEY_${n}=safe.directory" "GIT_CONFIG_VALUE_${n}=${CI_ROOT}" GIT_CONFIG_COUNT=$((n + 1))
  unset n
fi

# Tool caches and per-build files (AWS config, kubeconfig, the Ansible venv); never archived.
CI_CACHE="${CI_CACHE:-${CI_ROOT}/.cache}"

# The shipyard command of this checkout (bin/shipyard.js bundles src/ on first use); SHIPYARD_BIN
# replaces it (tests of the scripts alone).
# Each stage runs in a fresh pod: the first shipyard call installs the locked dependencies.
shipyard() {
  if [ -n "${SHIPYARD_BIN:-}" ]; then
    "$SHIPYARD_BIN" "$@"
    return
  fi
  if [ ! -d "${CI_ROOT}/node_modules" ]; then
    log "npm ci (fresh agent)"
    (cd "$CI_ROOT" && npm ci --no-audit --no-fund) >&2
  fi
  node "${CI_ROOT}/bin/shipyard.js" "$@"
}

# The upstream reference data the suites read in place, beside the checkout: ../shared/charts (each chart's
# Chart.yaml, values.yaml and values.schema.json) and ../shared/data (Pike's IAM actions per Terraform type).
# A fresh agent has none: it clones SHIPYARD_REFERENCE_DATA_GIT (a repository holding charts/ and data/) there.
ensure_reference_data() {
  local dir
  dir="$(dirname "$CI_ROOT")/shared"
  [ ! -d "${dir}/charts" ] || return 0
  if [ -z "${SHIPYARD_REFERENCE_DATA_GIT:-}" ]; then
    log "no ${dir}: the suites that read upstream chart and IAM data fail under CI (set SHIPYARD_REFERENCE_DATA_GIT)"
    return 0
  fi
  log "cloning the reference data into ${dir}"
  git clone --quiet --depth 1 "$SHIPYARD_REFERENCE_DATA_GIT" "$dir"
}

log() {
  printf '[ci] %s\n' "$*" >&2
}

die() {
  printf '[ci] error: %s\n' "$*" >&2
  exit 2
}

# Reads one fact of an environment from generated/ci/<env>.json (written by `shipyard snapshot` from
# environments/<env>.yaml, so a value is written once): `env_fact dev deployer.roleArn`.
env_fact() {
  local env="$1" key="$2" file="${CI_ROOT}/generated/ci/$1.json"
  [ -f "$file" ] || die "generated/ci/${env}.json: no such environment (run shipyard snapshot)"
  if command -v node > /dev/null 2>&1; then
    # shellcheck disable=SC2016 # JavaScript, not shell
    node -e '
      const [file, key] = process.argv.slice(1);
      let v = JSON.parse(require("fs").readFileSync(file, "utf8"));
      for (const k of key.split(".")) v = v == null ? undefined : v[k];
      if (v === undefined || v === null) { console.error(`${file}: ${key}: not set`); process.exit(2); }
      console.log(Array.isArray(v) ? v.join("\n") : typeof v === "object" ? JSON.stringify(v) : String(v));
    ' "$file" "$key"
  else
    python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v.get(k) if isinstance(v, dict) else None
if v is None:
    sys.exit(f"{sys.argv[1]}: {sys.argv[2]}: not set")
print("\n".join(v) if isinstance(v, list) else json.dumps(v) if isinstance(v, dict) else v)
' "$file" "$key"
  fi
}

# The commit being built (Jenkins sets GIT_COMMIT after checkout; a laptop asks git).
commit_sha() {
  if [ -n "${GIT_COMMIT:-}" ]; then printf '%s\n' "$GIT_COMMIT"; else git -C "$CI_ROOT" rev-parse HEAD; fi
}

# vMAJOR.MINOR.PATCH when building a release tag, empty otherwise.
release_version() {
  local tag="${TAG_NAME:-}"
  if [[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then printf '%s\n' "$tag"; fi
}

# Writes an AWS config (no credentials in it) whose profile `shipyard-<env>` assumes the environment's
# deployer role, with its external ID, from the pod's own identity: IRSA (web identity token) or EKS Pod
# Identity (container credentials). Exports AWS_CONFIG_FILE and AWS_PROFILE for every later command.
use_deployer_role() {
  local env="$1" dir="${CI_CACHE}/aws" role external
  role="$(env_fact "$env" deployer.roleArn)"
  external="$(env_fact "$env" deployer.externalId 2> /dev/null || true)"
  mkdir -p "$dir"
  {
    printf '[profile ci-agent]\n'
    if [ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ] && [ -n "${AWS_ROLE_ARN:-}" ]; then
      printf 'role_arn = %s\nweb_identity_token_file = %s\n' "$AWS_ROLE_ARN" "$AWS_WEB_IDENTITY_TOKEN_FILE"
    else
      printf 'credential_source = EcsContainer\n'
    fi
    printf '\n[profile shipyard-%s]\nrole_arn = %s\nsource_profile = ci-agent\n' "$env" "$role"
    [ -z "$external" ] || printf 'external_id = %s\n' "$external"
    printf 'role_session_name = jenkins-%s\nregion = %s\n' "${BUILD_NUMBER:-local}" "$(env_fact "$env" region)"
  } > "${dir}/config"
  export AWS_CONFIG_FILE="${dir}/config" AWS_PROFILE="shipyard-${env}" AWS_SDK_LOAD_CONFIG=1
}

# Everything `shipyard plan` and `deploy` need for an environment: the deployer role, the application image
# tags as Terraform variables (this build's commit, pushed by ci/image.sh), and the last deployed ref.
terraform_context() {
  local env="$1" tag variable
  use_deployer_role "$env"
  tag="$(commit_sha)"
  for variable in $(env_fact "$env" imageTagVariables); do
    export "TF_VAR_${variable}=${tag}"
  done
  fetch_deployed_ref "$env"
}

# What was last deployed to an environment: `shipyard deploy` and `plan` compare with the git ref
# refs/shipyard/deployed/<env> (deploy moves it). The ref lives on origin: a fresh agent pod fetches it
# before and pushes it back after a deploy.
fetch_deployed_ref() {
  local ref="refs/shipyard/deployed/$1"
  git -C "$CI_ROOT" remote get-url origin > /dev/null 2>&1 || return 0
  git -C "$CI_ROOT" fetch --no-tags -q origin "+${ref}:${ref}" 2> /dev/null \
    || log "no ${ref} on origin yet: shipyard treats every stack of $1 as new"
}

push_deployed_ref() {
  local ref="refs/shipyard/deployed/$1"
  git -C "$CI_ROOT" remote get-url origin > /dev/null 2>&1 || return 0
  if [ -z "${GITHUB_TOKEN:-}" ]; then
    log "no GITHUB_TOKEN: ${ref} stays local"
    return 0
  fi
  # The token reaches git through a credential helper that reads the variable; never on a command line.
  # shellcheck disable=SC2016 # expanded by the helper's shell, not here
  git -C "$CI_ROOT" -c credential.helper= \
    -c 'credential.helper=!f() { echo username=x-access-token; echo "password=${GITHUB_TOKEN}"; }; f' \
    push -q origin "$ref" || log "could not push ${ref}; the next run compares with an older baseline"
}
