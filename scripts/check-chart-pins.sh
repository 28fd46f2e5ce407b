#!/usr/bin/env bash
# Checks every Helm chart pin of the platform (the XXX_CHART constants in modules/addons) against its chart
# repository's index: the pinned version must be published there, and the newest release is printed beside it.
# For maintainers, where a network exists (CI has none); needs curl and node (with this project's npm ci).
#
#   scripts/check-chart-pins.sh          # one line per chart: pinned, newest, status
#
# Exit status: 0 every pin is published; 1 a pin is missing from its repository or an index could not be read.
set -euo pipefail

cd "$(dirname "$0")/.."

pins=$(npx --no-install tsx -e '
  const addons = require("./modules/addons");
  for (const [name, value] of Object.entries(addons)) {
    if (name.endsWith("_CHART") && value && typeof value === "object" && "repository" in value) {
      console.log([value.repository.replace(/\/+$/, ""), value.chart, value.version].join(" "));
    }
  }
')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
printf '%-32s %-10s %-10s %s\n' CHART PINNED NEWEST STATUS
while read -r repository chart version; do
  [ -n "$repository" ] || continue
  index="$tmp/$(printf '%s' "$repository" | tr -c 'A-Za-z0-9' '_').yaml"
  if [ ! -s "$index" ] && ! curl -fsSL --retry 2 -o "$index" "$repository/index.yaml"; then
    printf '%-32s %-10s %-10s %s\n' "$chart" "$version" "?" "cannot read $repository/index.yaml"
    status=1
    continue
  fi
  # Released versions of the chart (no pre-releases), newest first; then whether the pin is among them.
  # shellcheck disable=SC2016 # JavaScript template literals, not shell expansions
  result=$(node -e '
    const { parse } = require("yaml");
    const [file, chart, pin] = process.argv.slice(1);
    const entries = (parse(require("fs").readFileSync(file, "utf8")).entries || {})[chart] || [];
    const versions = entries.map((e) => String(e.version)).filter((v) => /^v?\d+\.\d+\.\d+$/.test(v));
    const key = (v) => v.replace(/^v/, "").split(".").map(Number);
    versions.sort((a, b) => { const [x, y] = [key(a), key(b)]; return y[0] - x[0] || y[1] - x[1] || y[2] - x[2]; });
    console.log(`${versions[0] || "none"} ${entries.some((e) => String(e.version) === pin) ? "published" : "NOT-PUBLISHED"}`);
  ' "$index" "$chart" "$version")
  newest=${result% *}
  published=${result#* }
  if [ "$published" != published ]; then
    note="NOT PUBLISHED in $repository"
    status=1
  elif [ "$newest" = "$version" ]; then
    note="current"
  else
    note="newer release $newest (check ../shared/charts and the chart's changelog before moving)"
  fi
  printf '%-32s %-10s %-10s %s\n' "$chart" "$version" "$newest" "$note"
done <<< "$pins"

exit "$status"
