#!/usr/bin/env bash
# Rehearses the Jenkins build stage on this machine, as close to the build agent as a machine without a
# container engine gets: a fresh Debian bookworm root (what node:20-bookworm is built on) with this machine's
# Node 20, the committed HEAD checked out by another user (as the agent's jnlp container does), then
# `ci/build.sh` run in it with CI=true as root, under exactly the capabilities ci/pods/build.yaml grants and
# no privilege escalation. It passes only if every suite runs (none may skip under CI) and passes.
#   sudo scripts/rehearse-build-agent.sh          # about 15 minutes; needs debootstrap and the Debian mirror
#   KEEP=1 sudo scripts/rehearse-build-agent.sh   # keep the root for a look (unmounted) afterwards
# Everything it creates lives in one new folder under $TMPDIR (or /var/tmp) and is unmounted and removed at the
# end (unless KEEP); the stage's logs are copied to reports/rehearsal/ (its own, replaced on each run).
set -euo pipefail
cd "$(dirname "$0")/.."
project="$(pwd)"

[ "$(id -u)" = 0 ] || { echo "rehearse-build-agent: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap > /dev/null || { echo "rehearse-build-agent: needs debootstrap" >&2; exit 2; }
node_bin="$(command -v node)"
case "$(node --version)" in v20.*) ;; *) echo "rehearse-build-agent: needs Node 20 on PATH" >&2; exit 2 ;; esac
npm_dir="$(readlink -f "$(dirname "$(readlink -f "$(command -v npm)")")/..")"

# The build container's capabilities, read from the pod template (one source): `add: [CHOWN, …]`.
caps="$(sed -n 's/^ *add: \[\(.*\)\]$/\1/p' ci/pods/build.yaml | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
[ -n "$caps" ] || { echo "rehearse-build-agent: no capabilities found in ci/pods/build.yaml" >&2; exit 2; }
bounding="-all,$(printf '%s' "$caps" | sed 's/\([a-z_]*\)/+\1/g')"

# Outside the project: nothing that walks the project (linters, CodeNarc) may meet the bind-mounted /proc.
work="$(mktemp -d "${TMPDIR:-/var/tmp}/shipyard-rehearsal-XXXXXX")"
root="${work}/root"
mounts=()

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2> /dev/null || true; done
  if grep -q " ${work}/" /proc/self/mounts; then
    echo "rehearse-build-agent: mounts left below ${work}; not removing it" >&2
    return
  fi
  if [ -z "${KEEP:-}" ]; then rm -rf --one-file-system "$work"; else echo "kept ${root}" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind() {
  mkdir -p "${root}$1"
  mount --bind "$1" "${root}$1"
  mounts+=("${root}$1")
}

echo "== debootstrap bookworm into ${root}" >&2
# buildpack-deps:bookworm (node's base) carries git, curl, python3 and procps; minbase plus those.
debootstrap --variant=minbase --include=ca-certificates,curl,git,python3,procps,libstdc++6,xz-utils \
  bookworm "$root" http://deb.debian.org/debian > "${work}/debootstrap.log" 2>&1 ||
  { tail -20 "${work}/debootstrap.log" >&2; exit 1; }

echo "== Node $(node --version) into /usr/local, the checkout owned by uid 1000" >&2
install -m 0755 "$node_bin" "${root}/usr/local/bin/node"
mkdir -p "${root}/usr/local/lib/node_modules"
cp -a "$npm_dir" "${root}/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "${root}/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "${root}/usr/local/bin/npx"
workspace="/home/jenkins/agent/workspace/shipyard"
git clone -q --no-hardlinks "$project" "${root}${workspace}"
chown -R 1000:1000 "${root}/home/jenkins"
cp /etc/resolv.conf "${root}/etc/resolv.conf"
# This machine's trust store (an egress proxy's CA, as a build pod in a company network needs too), and the
# variables that make pip, Python and Node use it.
cp /etc/ssl/certs/ca-certificates.crt "${root}/etc/ssl/certs/ca-certificates.crt"
bundle=/etc/ssl/certs/ca-certificates.crt
trust=(SSL_CERT_FILE="$bundle" PIP_CERT="$bundle" REQUESTS_CA_BUNDLE="$bundle" NODE_EXTRA_CA_CERTS="$bundle")
for v in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy; do
  [ -z "${!v:-}" ] || trust+=("${v}=${!v}")
done

bind /proc
bind /dev
bind /dev/pts
bind /sys
# The reference data beside the checkout, read-only, where the suites read it (../shared).
if [ -d "$(dirname "$project")/shared" ]; then
  mkdir -p "${root}/home/jenkins/agent/workspace/shared"
  mount --bind "$(dirname "$project")/shared" "${root}/home/jenkins/agent/workspace/shared"
  mount -o remount,bind,ro "${root}/home/jenkins/agent/workspace/shared"
  mounts+=("${root}/home/jenkins/agent/workspace/shared")
fi

echo "== ci/build.sh as root with capabilities ${caps}, no new privileges" >&2
status=0
chroot "$root" /usr/bin/setpriv --bounding-set="$bounding" --inh-caps=-all --no-new-privs \
  /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/home/jenkins/agent CI=true NO_COLOR=1 \
  LANG=C.UTF-8 "${trust[@]}" bash -c "cd ${workspace} && ci/build.sh" || status=$?
# The stage's reports (what Jenkins would archive) outlive the root.
rm -rf --one-file-system "${project}/reports/rehearsal"
mkdir -p "${project}/reports/rehearsal"
cp -a "${root}${workspace}/reports/." "${project}/reports/rehearsal/" 2> /dev/null || true
echo "== ci/build.sh exited ${status}; its logs are in reports/rehearsal/" >&2
exit "$status"
