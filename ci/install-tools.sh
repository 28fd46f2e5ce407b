#!/usr/bin/env bash
# Installs the outside tools the test suites and `shipyard check` need, so the repository's CI (.ci/run)
# and the Jenkins build agent (ci/build.sh, ci/pr-review.sh) run the same suites with the same tools:
#   ci/install-tools.sh           # the Debian packages below and the pinned Checkov (npm test)
#   ci/install-tools.sh checkov   # only the pinned Checkov (shipyard check)
# As root, missing Debian packages are installed with apt-get (nothing when all are there). Not root (a
# laptop), they are assumed installed: a suite whose tool is missing skips with a notice, and fails under CI.
# Checkov goes into .cache/venv (scripts/install-checkov.sh); SHIPYARD_CHECKOV, when set, names the checkov
# to use instead and nothing is installed.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2

# What npm test needs besides Node. python3-venv: Debian's python3 cannot create Checkov's venv without it.
TEST_PACKAGES=(
  ansible ansible-lint yamllint       # Ansible syntax checks, production-profile lint, yamllint
  debootstrap                         # throw-away Debian chroot for the eks_node idempotence run
  prometheus prometheus-alertmanager  # promtool, amtool and the live Prometheus test
  time                                # GNU time for `npm run bench`
  groovy shellcheck                   # the Jenkinsfile and Job DSL (Groovy, and CodeNarc's Java), ci/*.sh
  python3-venv                        # Checkov's virtual environment
)
CHECKOV_PACKAGES=(python3-venv)

# Installs those of the given Debian packages that are missing; as root only.
install_debian_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2> /dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ]; then
    log "not root: assuming ${missing[*]} installed"
    return 0
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Package scripts must not start services; policy-rc.d exit 101 tells invoke-rc.d not to. One already
  # there is the machine's: used as it is, and left alone.
  local policy=/usr/sbin/policy-rc.d ours=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && ours=1
  fi
  local status=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null || status=$?
  [ -z "$ours" ] || rm -f "$policy"
  return "$status"
}

install_checkov() {
  if [ -n "${SHIPYARD_CHECKOV:-}" ]; then
    log "SHIPYARD_CHECKOV=${SHIPYARD_CHECKOV}: not installing checkov"
    return 0
  fi
  install_debian_packages "${CHECKOV_PACKAGES[@]}"
  bash scripts/install-checkov.sh
}

case "${1:-all}" in
  all)
    install_debian_packages "${TEST_PACKAGES[@]}"
    install_checkov
    ;;
  checkov) install_checkov ;;
  *) die "usage: ci/install-tools.sh [all|checkov] (got '$1')" ;;
esac
