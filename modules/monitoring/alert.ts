import type { AlertingRule, Severity } from "./types";
import { runbookUrl } from "./util";

export interface AlertSpec {
  readonly name: string;
  readonly expr: string;
  readonly for?: string;
  readonly severity: Severity;
  readonly team: string;
  /** Extra static labels (e.g. `slo`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** One line; may use `{{ $labels.x }}` (promtool unit tests expand only `$labels`). */
  readonly summary: string;
  readonly description: string;
}

/** An alerting rule with the labels and annotations every Shipyard alert carries. */
export function makeAlert(spec: AlertSpec, runbookBaseUrl: string): AlertingRule {
  return {
    alert: spec.name,
    expr: spec.expr,
    ...(spec.for ? { for: spec.for } : {}),
    labels: { severity: spec.severity, team: spec.team, ...(spec.labels ?? {}) },
    annotations: { summary: spec.summary, description: spec.description, runbook_url: runbookUrl(runbookBaseUrl, spec.name) },
  };
}
