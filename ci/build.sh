#!/usr/bin/env bash
# Every build: install the tools the suites need, install, test, synthesize, and check that the committed
# generated/ snapshot is fresh. The same tools and test command as the repository's CI (.ci/run): the build
# agent runs every suite, none skips (CI=true makes a missing tool a failure).
#   ci/build.sh
# Logs land in reports/build/ (archived by the pipeline).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2
out="${REPORTS}/build"
mkdir -p "$out"

log "tools"
bash "${CI_ROOT}/ci/install-tools.sh" 2>&1 | tee "${out}/install-tools.log"
ensure_reference_data
log "npm ci"
npm ci --no-audit --no-fund 2>&1 | tee "${out}/npm-ci.log"
log "npm test"
npm test 2>&1 | tee "${out}/npm-test.log"
log "shipyard synth"
shipyard synth 2>&1 | tee "${out}/synth.log"
log "shipyard snapshot --check"
shipyard snapshot --check 2>&1 | tee "${out}/snapshot.log"
