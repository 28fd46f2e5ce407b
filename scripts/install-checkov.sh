#!/usr/bin/env bash
# Installs the pinned Checkov into .cache/venv (a Python virtual environment inside the project), where
# `npm test` (__tests__/policies/checkov.test.ts) and `shipyard check` look for it. Safe to re-run: it
# does nothing when the pinned version is already there. The version is the one src/policy/checkov.ts pins.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(sed -n 's/^export const CHECKOV_VERSION = "\([0-9.]*\)";$/\1/p' src/policy/checkov.ts)"
if [ -z "${version}" ]; then
  echo "install-checkov: CHECKOV_VERSION not found in src/policy/checkov.ts" >&2
  exit 1
fi

venv=.cache/venv
if [ -x "${venv}/bin/checkov" ] && [ "$("${venv}/bin/checkov" --version 2>/dev/null)" = "${version}" ]; then
  echo "checkov ${version} already installed in ${venv}"
  exit 0
fi

python3 -m venv "${venv}"
"${venv}/bin/pip" install --quiet --disable-pip-version-check "checkov==${version}"
echo "checkov $("${venv}/bin/checkov" --version) installed in ${venv}"
