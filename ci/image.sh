#!/usr/bin/env bash
# The application image (main and release tags): build app/ without a privileged daemon, scan the archive,
# write its SBOM, and only then push exactly the scanned bytes to ECR.
#
#   ci/image.sh targets # where this build pushes: reports/image/targets.tsv (env, region, registry, repository)
#   ci/image.sh build   # rootless BuildKit (buildctl-daemonless.sh) -> build/image.tar (OCI archive)
#   ci/image.sh scan    # Trivy on the archive: fails on fixable HIGH/CRITICAL; CycloneDX SBOM; marks the
#                       #   archive's sha256 as scanned
#   ci/image.sh login   # ECR login token (aws) -> a registry auth file on the pod's in-memory volume
#   ci/image.sh push    # skopeo copies the OCI archive, refusing unless its sha256 is the scanned one
#   ci/image.sh all     # the five in order (a laptop with every tool)
#
# In Jenkins each step runs in its own container of ci/pods/image.yaml (only `targets` needs node or python;
# the tool containers read the plain targets file). Tags: the commit SHA, and for a
# release tag vX.Y.Z also the version. Target repositories: the environments this build deploys (main: dev
# and staging; a release tag: prod), from generated/ci/<env>.json.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2

out="${REPORTS}/image"
archive="${IMAGE_ARCHIVE:-build/image.tar}"
scanned="${out}/scanned.sha256"
auth_file="${REGISTRY_AUTH_FILE:-${XDG_RUNTIME_DIR:-/tmp}/shipyard-registry-auth.json}"
mkdir -p "$out" "$(dirname "$archive")"

target_envs() {
  if [ -n "${IMAGE_ENVS:-}" ]; then tr ' ' '\n' <<< "$IMAGE_ENVS"; return; fi
  if [ -n "$(release_version)" ]; then echo prod; else printf '%s\n' dev staging; fi
}

targets_file="${out}/targets.tsv"

step_targets() {
  local env registry region repo
  : > "$targets_file"
  for env in $(target_envs); do
    registry="$(env_fact "$env" ecr.registry)"
    region="$(env_fact "$env" region)"
    for repo in $(env_fact "$env" ecr.repositories); do
      printf '%s\t%s\t%s\t%s\n' "$env" "$region" "$registry" "$repo" >> "$targets_file"
    done
  done
  log "push targets: $(cut -f4 "$targets_file" | tr '\n' ' ')"
}

require_targets() {
  [ -f "$targets_file" ] || die "${targets_file}: no push targets (run ci/image.sh targets first)"
}

archive_sha() {
  sha256sum "$archive" | cut -d' ' -f1
}

step_build() {
  rm -f "$scanned"
  log "building app/ with rootless BuildKit into ${archive}"
  buildctl-daemonless.sh build \
    --frontend dockerfile.v0 \
    --local context=app \
    --local dockerfile=app \
    --opt "label:org.opencontainers.image.revision=$(commit_sha)" \
    --output "type=oci,dest=${archive}" \
    --metadata-file "${out}/build-metadata.json"
  archive_sha > "${out}/archive.sha256"
}

step_scan() {
  [ -f "$archive" ] || die "${archive}: no image archive (run ci/image.sh build first)"
  rm -f "$scanned"
  log "scanning ${archive}"
  trivy image --input "$archive" --format cyclonedx --output "${out}/sbom.cdx.json"
  # --ignore-unfixed: fail only on what an update can fix; --exit-code 1 on any HIGH/CRITICAL left.
  local status=0
  trivy image --input "$archive" --severity HIGH,CRITICAL --ignore-unfixed --exit-code 1 \
    --format json --output "${out}/scan.json" || status=$?
  trivy convert --format table --output "${out}/scan.txt" "${out}/scan.json" || true
  if [ "$status" -ne 0 ]; then
    log "scan failed: fixable HIGH/CRITICAL vulnerabilities (see ${out}/scan.txt); nothing is pushed"
    exit 1
  fi
  archive_sha > "$scanned"
}

step_login() {
  require_targets
  local env region registry repo seen=" " first=1
  umask 077
  mkdir -p "$(dirname "$auth_file")"
  printf '{"auths":{' > "${auth_file}.tmp"
  while IFS=$'\t' read -r env region registry repo; do
    case "$seen" in *" ${registry} "*) continue ;; esac
    seen="${seen}${registry} "
    [ "$first" = 1 ] || printf ',' >> "${auth_file}.tmp"
    first=0
    # The token goes from aws straight into the auth file; it is never printed.
    printf '"%s":{"auth":"%s"}' "$registry" \
      "$( { printf 'AWS:'; aws ecr get-login-password --region "$region"; } | base64 | tr -d '\n')" >> "${auth_file}.tmp"
  done < "$targets_file"
  printf '}}\n' >> "${auth_file}.tmp"
  mv "${auth_file}.tmp" "$auth_file"
  log "registry login written for:${seen}"
}

step_push() {
  require_targets
  [ -f "$scanned" ] || die "${archive} has not passed the scan: refusing to push"
  [ "$(archive_sha)" = "$(cat "$scanned")" ] || die "${archive} changed since it was scanned: refusing to push"
  local env region registry repo tag tags
  tags="$(commit_sha) $(release_version)"
  : > "${out}/pushed.txt"
  while IFS=$'\t' read -r env region registry repo; do
    for tag in $tags; do
      log "pushing ${repo}:${tag} (${env})"
      skopeo copy --authfile "$auth_file" --preserve-digests --digestfile "${out}/digest" \
        "oci-archive:${archive}" "docker://${repo}:${tag}" < /dev/null
      printf '%s:%s@%s\n' "$repo" "$tag" "$(cat "${out}/digest")" >> "${out}/pushed.txt"
    done
  done < "$targets_file"
  rm -f "$auth_file"
}

case "${1:-}" in
  targets) step_targets ;;
  build) step_build ;;
  scan) step_scan ;;
  login) step_login ;;
  push) step_push ;;
  all) step_targets; step_build; step_scan; step_login; step_push ;;
  *) die "usage: ci/image.sh targets|build|scan|login|push|all" ;;
esac
