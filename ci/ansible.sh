#!/usr/bin/env bash
# After a deploy: the Ansible site.yml of the environment (dashboards, application settings, platform checks).
#   ci/ansible.sh dev
# Uses ansible-playbook from PATH, or installs the pinned versions of ci/ansible-requirements.txt into a venv
# under .cache/ (the deploy pod's python container). Kubernetes access: a kubeconfig whose token comes from
# `aws eks get-token` under the environment's deployer role (see lib.sh).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$CI_ROOT" || exit 2
env="${1:-}"
[ -n "$env" ] || die "usage: ci/ansible.sh <env>"
out="${REPORTS}/ansible"
mkdir -p "$out" "$CI_CACHE"

if ! command -v ansible-playbook > /dev/null 2>&1; then
  log "installing ansible (ci/ansible-requirements.txt) into ${CI_CACHE}/ansible-venv"
  python3 -m venv "${CI_CACHE}/ansible-venv"
  "${CI_CACHE}/ansible-venv"/bin/pip install --quiet -r ci/ansible-requirements.txt
  export PATH="${CI_CACHE}/ansible-venv/bin:${PATH}"
fi
export ANSIBLE_COLLECTIONS_PATH="${CI_CACHE}/ansible-collections"
ansible-galaxy collection install --upgrade -r ansible/requirements.yml -p "$ANSIBLE_COLLECTIONS_PATH" > "${out}/galaxy-${env}.log"

use_deployer_role "$env"
export KUBECONFIG="${CI_CACHE}/kube/${env}"
aws eks update-kubeconfig --name "$(env_fact "$env" clusterName)" --region "$(env_fact "$env" region)" \
  --kubeconfig "$KUBECONFIG" > /dev/null

(cd ansible && ansible-playbook -i "inventories/${env}" -e "@../generated/ansible/${env}.yml" site.yml) 2>&1 \
  | tee "${out}/site-${env}.log"
