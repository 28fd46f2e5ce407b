import type { Dashboard } from "../../../modules/monitoring";

/** Values substituted for Grafana variables before promtool parses a dashboard query. */
export const GRAFANA_SUBSTITUTIONS: Record<string, string> = {
  __rate_interval: "5m",
  __interval: "1m",
  __range: "1h",
  cluster: "",
  namespace: "payments",
  service: "sample-app",
  nodegroup: ".*",
  node: ".*",
};

export function substitute(expr: string, values: Record<string, string> = GRAFANA_SUBSTITUTIONS): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`no substitution for Grafana variable ${whole} in ${expr}`);
    return values[name]!;
  });
}

export interface DashboardQuery {
  readonly where: string;
  readonly expr: string;
}

/** Every PromQL expression of a dashboard: panel targets, and the selector of `label_values(…)` variables. */
export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const panel of dashboard.panels) {
    for (const target of (panel.targets as { refId: string; expr: string }[] | undefined) ?? []) {
      out.push({ where: `${dashboard.uid} / ${panel.title} / ${target.refId}`, expr: target.expr });
    }
  }
  for (const variable of dashboard.templating.list) {
    if (variable.type !== "query") continue;
    const m = /^label_values\((.*),\s*(\w+)\)$/.exec(variable.definition as string);
    if (!m) throw new Error(`${dashboard.uid}: variable ${variable.name} is not label_values(<selector>, <label>)`);
    out.push({ where: `${dashboard.uid} / variable ${variable.name}`, expr: m[1]! });
  }
  return out;
}

/** Metric names a PromQL expression reads (identifiers followed by a selector or a range). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const stripped = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)) {
    const name = m[1]!;
    if (!["by", "without", "on", "ignoring", "group_left", "group_right"].includes(name)) names.add(name);
  }
  return [...names].sort();
}
