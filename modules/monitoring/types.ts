/**
 * Shapes of the Prometheus rule file (`promtool check rules`, the `spec` of a PrometheusRule) and
 * the Alertmanager configuration, as plain objects. Keys are built in a fixed order so the YAML and
 * JSON written from them are deterministic.
 */

/** `critical` pages, `warning` goes to Slack, `ticket` to the SNS topic; `none` only for the Watchdog. */
export type Severity = "critical" | "warning" | "ticket" | "none";

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Labels every alert carries; more may come from the expression's result. */
export interface AlertLabels {
  readonly severity: Severity;
  readonly team: string;
  readonly [label: string]: string;
}

export interface AlertAnnotations {
  readonly summary: string;
  readonly description: string;
  /** `<runbookBaseUrl>/<alert-name-in-kebab-case>`. */
  readonly runbook_url: string;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration; omitted when the alert fires on the first evaluation. */
  readonly for?: string;
  readonly labels: AlertLabels;
  readonly annotations: AlertAnnotations;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval of the group; omitted means Prometheus' global `evaluation_interval`. */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** A Prometheus rule file; `{ groups }` is also the `spec` of a PrometheusRule custom resource. */
export interface RuleFile {
  readonly groups: readonly RuleGroup[];
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return "alert" in rule;
}
