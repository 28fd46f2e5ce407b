#!/usr/bin/env bash
# Deploy one environment: the stacks this change affects, in dependency order, as `shipyard deploy` chooses
# them; it stops at the first failure and leaves later stacks untouched (and the pipeline then leaves later
# environments untouched).
#   ci/deploy.sh dev
# AWS: the pod's own identity assumes shipyard-<env>-deployer with the environment's external ID (see lib.sh);
# no static keys. Terraform Cloud: TF_TOKEN_app_terraform_io, bound by withCredentials for this env class.
# The application image tag is this build's commit (pushed by ci/image.sh), set as the stacks' image_tag_*
# Terraform variables.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2
env="${1:-}"
[ -n "$env" ] || die "usage: ci/deploy.sh <env>"
out="${REPORTS}/deploy"
mkdir -p "$out"

terraform_context "$env"
tag="$(commit_sha)"
before="$(git rev-parse -q --verify "refs/shipyard/deployed/${env}" || true)"

args=(deploy --env "$env" --parallelism "${DEPLOY_PARALLELISM:-2}")
[ -z "${SHIPYARD_AGAINST:-}" ] || args+=(--against "$SHIPYARD_AGAINST")
log "shipyard ${args[*]} (image tag ${tag})"
status=0
shipyard "${args[@]}" 2>&1 | tee "${out}/${env}.log" || status=$?

[ "$(git rev-parse -q --verify "refs/shipyard/deployed/${env}" || true)" = "$before" ] || push_deployed_ref "$env"
exit "$status"
