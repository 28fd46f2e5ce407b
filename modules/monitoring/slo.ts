import { ShipyardValidationError } from "../core";
import { makeAlert } from "./alert";
import type { AlertingRule, RecordingRule, RuleGroup } from "./types";
import { budgetRatio, eq, num, quote, requireDnsLabel, requireUrl, selector } from "./util";

/**
 * Histogram buckets (seconds) of the sample service's `http_request_duration_seconds`
 * (`app/src/metrics.ts`, DURATION_BUCKETS). A latency threshold must be one of the service's buckets.
 */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10]);

/** Windows of the recorded error ratios; the alert windows below are drawn from these. */
export const SLI_WINDOWS = ["5m", "30m", "1h", "6h", "3d"] as const;
export type SliWindow = (typeof SLI_WINDOWS)[number];

/**
 * The multi-window, multi-burn-rate policy (Google SRE workbook, ch. 5): an alert fires when both the
 * long and the short window burn the error budget at least `factor` times faster than sustainable.
 */
export interface BurnRatePolicy {
  /** Alert name suffix: `SLO<Availability|Latency><suffix>`. */
  readonly suffix: "FastBurn" | "SlowBurn" | "BudgetErosion";
  readonly longWindow: SliWindow;
  readonly shortWindow: SliWindow;
  readonly factor: number;
  readonly severity: "critical" | "ticket";
  readonly for: string;
}

export const BURN_RATE_POLICIES: readonly BurnRatePolicy[] = Object.freeze([
  { suffix: "FastBurn", longWindow: "1h", shortWindow: "5m", factor: 14.4, severity: "critical", for: "2m" },
  { suffix: "SlowBurn", longWindow: "6h", shortWindow: "30m", factor: 6, severity: "critical", for: "15m" },
  { suffix: "BudgetErosion", longWindow: "3d", shortWindow: "6h", factor: 1, severity: "ticket", for: "1h" },
]);

/** The fastest burn-rate factor of {@link BURN_RATE_POLICIES} (14.4, the fast-burn page). */
export const FASTEST_BURN_FACTOR: number = Math.max(...BURN_RATE_POLICIES.map((p) => p.factor));

/**
 * Objectives (percent) must be above this (about 93.06): below it the error budget times
 * {@link FASTEST_BURN_FACTOR} reaches 100 % of requests and the fast-burn page could never fire.
 */
export const MIN_PAGEABLE_OBJECTIVE_PERCENT: number = 100 - 100 / FASTEST_BURN_FACTOR;

/**
 * Why an objective (in percent) could never page, or undefined: its error budget is so large that a
 * {@link FASTEST_BURN_FACTOR} burn would need more than 100 % of requests to fail. The config rules
 * (src/config) and this module's validation both report it.
 */
export function unpageableObjectiveProblem(objectivePercent: number): string | undefined {
  if (objectivePercent > MIN_PAGEABLE_OBJECTIVE_PERCENT) return undefined;
  return `${num(objectivePercent)} % leaves an error budget of ${num(100 - objectivePercent)} %: a ${num(FASTEST_BURN_FACTOR)}x burn would need more than 100 % of requests to fail, so the page could never fire (expected an objective above ${num(Number(MIN_PAGEABLE_OBJECTIVE_PERCENT.toFixed(2)))} %)`;
}

/**
 * Why a latency threshold cannot be measured on a histogram with these bucket boundaries, or undefined. The
 * config rules (src/config) and this module's validation both report it.
 */
export function latencyThresholdProblem(thresholdSeconds: number, histogram: string, buckets: readonly number[]): string | undefined {
  if (buckets.includes(thresholdSeconds)) return undefined;
  return `${num(thresholdSeconds)} s is not a histogram bucket boundary of ${histogram}, so the share of faster requests cannot be computed exactly (expected one of: ${buckets.map(num).join(", ")})`;
}

/** One application's objectives. Percentages are of requests, strictly between 0 and 100. */
export interface ServiceLevelObjective {
  /** Application name; also the name of its Kubernetes Service, i.e. the scrape's `service` label. */
  readonly name: string;
  readonly namespace: string;
  /** Owning team; the `team` label of its alerts. */
  readonly team: string;
  /** Share of requests answered without a 5xx, in percent (e.g. 99.9). */
  readonly availability: number;
  readonly latency: {
    /** Requests at or below this duration are good. Must be a histogram bucket boundary (`le`). */
    readonly thresholdSeconds: number;
    /** Share of requests at or below the threshold, in percent. */
    readonly objective: number;
  };
  /**
   * The service's histogram bucket boundaries in seconds.
   * @default DEFAULT_LATENCY_BUCKETS (the sample service's)
   */
  readonly latencyBuckets?: readonly number[];
}

export interface SloRulesProps {
  /** Services and their objectives; each yields recording rules and multi-window burn-rate alerts. */
  readonly services: readonly ServiceLevelObjective[];
  /** Base of every alert's `runbook_url`. */
  readonly runbookBaseUrl: string;
  /**
   * Request counter with `code` (HTTP status) label.
   * @default "http_requests_total"
   */
  readonly requestsMetric?: string;
  /**
   * Classic histogram of request durations in seconds (`_bucket`, `_count`).
   * @default "http_request_duration_seconds"
   */
  readonly durationMetric?: string;
  /**
   * Length of the SLO period in days: the window of `slo:sli_error:ratio_rate<N>d` and of the
   * error budget shown on dashboards.
   * @default DEFAULT_SLO_PERIOD_DAYS (30)
   */
  readonly periodDays?: number;
  /**
   * The key path that names `services[i]` in error messages: where the caller's input holds it, e.g. a
   * config key a person edits.
   * @default `services[<i>]`
   */
  readonly servicePath?: (index: number) => string;
}

/**
 * The SLO period in days when none is given: the window of the error budget the rules record and the
 * dashboards show. Prometheus must keep at least this many days of metrics.
 */
export const DEFAULT_SLO_PERIOD_DAYS = 30;

/** Names of the recorded series, so dashboards and tests do not repeat the strings. */
export const SLO_SERIES = {
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  objective: "slo:objective:ratio",
  errorBudget: "slo:error_budget:ratio",
  budgetRemaining: "slo:error_budget_remaining:ratio",
} as const;

export type SloKind = "availability" | "latency";

/**
 * The matcher of the `le` label for a bucket boundary. Prometheus 2 stores `le` as the client wrote
 * it (`1`), Prometheus 3 normalises whole numbers to `1.0`: match both.
 */
export function leMatcher(seconds: number): string {
  const text = num(seconds);
  return Number.isInteger(seconds) ? `le=~${quote(`${text}(\\.0)?`)}` : eq("le", text);
}

/** The label matchers selecting one service's series: what a ServiceMonitor scrape attaches. */
export function serviceMatchers(slo: Pick<ServiceLevelObjective, "namespace" | "name">): string[] {
  return [eq("namespace", slo.namespace), eq("service", slo.name)];
}

function errorRatioExpr(kind: SloKind, slo: ServiceLevelObjective, window: string, requests: string, duration: string): string {
  const sel = serviceMatchers(slo);
  if (kind === "availability") {
    // `or vector(0)`: no 5xx series yet means no errors, not "no data".
    return `(sum(rate(${requests}${selector(...sel, 'code=~"5.."')}[${window}])) or vector(0)) / sum(rate(${requests}${selector(...sel)}[${window}]))`;
  }
  return `1 - (sum(rate(${duration}_bucket${selector(...sel, leMatcher(slo.latency.thresholdSeconds))}[${window}])) / sum(rate(${duration}_count${selector(...sel)}[${window}])))`;
}

function validate(slo: ServiceLevelObjective, path: string): void {
  requireDnsLabel(`${path}.name`, slo.name);
  requireDnsLabel(`${path}.namespace`, slo.namespace);
  requireDnsLabel(`${path}.team`, slo.team);
  for (const [key, value] of [
    ["availability", slo.availability],
    ["latency.objective", slo.latency.objective],
  ] as const) {
    if (!(value > 0 && value < 100)) {
      throw new ShipyardValidationError(`${path}.${key}`, `${value} is not a percentage strictly between 0 and 100`);
    }
    const unpageable = unpageableObjectiveProblem(value);
    if (unpageable) throw new ShipyardValidationError(`${path}.${key}`, unpageable);
  }
  const threshold = latencyThresholdProblem(slo.latency.thresholdSeconds, slo.name, slo.latencyBuckets ?? DEFAULT_LATENCY_BUCKETS);
  if (threshold) throw new ShipyardValidationError(`${path}.latency.thresholdSeconds`, threshold);
}

const KIND_TITLE: Record<SloKind, string> = { availability: "Availability", latency: "Latency" };

function describeBad(kind: SloKind, slo: ServiceLevelObjective): string {
  return kind === "availability" ? "requests were answered with a 5xx" : `requests were slower than ${num(slo.latency.thresholdSeconds)} s`;
}

/**
 * Per application: recording rules for the availability and latency error ratios over 5m, 30m, 1h,
 * 6h and 3d (group `slo-<namespace>-<name>`), the objective and budget as series, the SLO-period
 * ratio and budget remaining (group `slo-<namespace>-<name>-period`, evaluated every 5m), and the
 * multi-window multi-burn-rate alerts.
 *
 * Recorded series carry `namespace`, `service`, `team` and `slo` (`availability` | `latency`).
 * Throws ShipyardValidationError for an objective outside (0, 100), one so low that the 14.4x page
 * cannot fire, or a latency threshold that is not a bucket boundary.
 */
export function sloRuleGroups(props: SloRulesProps): RuleGroup[] {
  return sloRuleGroupsByService(props).flatMap((s) => s.groups);
}

/**
 * {@link sloRuleGroups} per application, in the order of `props.services`: each application's two
 * groups, so that they can be written to (and unit-tested from) a rule file of their own.
 */
export function sloRuleGroupsByService(props: SloRulesProps): { readonly service: ServiceLevelObjective; readonly groups: RuleGroup[] }[] {
  requireUrl("runbookBaseUrl", props.runbookBaseUrl);
  const requests = props.requestsMetric ?? "http_requests_total";
  const duration = props.durationMetric ?? "http_request_duration_seconds";
  const periodDays = props.periodDays ?? DEFAULT_SLO_PERIOD_DAYS;
  if (!Number.isInteger(periodDays) || periodDays < 1 || periodDays > 90) {
    throw new ShipyardValidationError("periodDays", `${periodDays} is not a whole number of days from 1 to 90`);
  }
  const period = `${periodDays}d`;
  const seen = new Set<string>();
  props.services.forEach((slo, i) => {
    const path = props.servicePath?.(i) ?? `services[${i}]`;
    validate(slo, path);
    const key = `${slo.namespace}/${slo.name}`;
    if (seen.has(key)) throw new ShipyardValidationError(path, `duplicate service ${key} (expected each namespace/name once)`);
    seen.add(key);
  });

  return props.services.map((slo) => {
    const groups: RuleGroup[] = [];
    const kinds: SloKind[] = ["availability", "latency"];
    const labelsOf = (kind: SloKind) => ({ namespace: slo.namespace, service: slo.name, team: slo.team, slo: kind });
    const objectiveOf = (kind: SloKind) => (kind === "availability" ? slo.availability : slo.latency.objective);

    const records: RecordingRule[] = [];
    for (const kind of kinds) {
      for (const window of SLI_WINDOWS) {
        records.push({
          record: SLO_SERIES.errorRatio(window),
          expr: errorRatioExpr(kind, slo, window, requests, duration),
          labels: labelsOf(kind),
        });
      }
    }
    const alerts: AlertingRule[] = [];
    for (const kind of kinds) {
      const objective = objectiveOf(kind);
      const budget = budgetRatio(objective);
      const match = selector(...serviceMatchers(slo), eq("slo", kind));
      for (const policy of BURN_RATE_POLICIES) {
        const threshold = `(${num(policy.factor)} * ${num(budget)})`;
        const daysLeft = num(Number((periodDays / policy.factor).toFixed(1)));
        alerts.push(
          makeAlert(
            {
              name: `SLO${KIND_TITLE[kind]}${policy.suffix}`,
              expr: `${SLO_SERIES.errorRatio(policy.longWindow)}${match} > ${threshold} and ${SLO_SERIES.errorRatio(policy.shortWindow)}${match} > ${threshold}`,
              for: policy.for,
              severity: policy.severity,
              team: slo.team,
              summary: `{{ $labels.service }} in {{ $labels.namespace }} is burning its ${kind} error budget ${num(policy.factor)}x too fast`,
              description:
                `Over the last ${policy.longWindow} and ${policy.shortWindow}, more than ${num(policy.factor)} x ${num(100 - objective)} % of ` +
                `${describeBad(kind, slo)} (objective ${num(objective)} %). At this rate the ${period} error budget is spent in about ${daysLeft} days.`,
            },
            props.runbookBaseUrl,
          ),
        );
      }
    }
    groups.push({ name: `slo-${slo.namespace}-${slo.name}`, rules: [...records, ...alerts] });

    const periodRules: RecordingRule[] = [];
    for (const kind of kinds) {
      const budget = budgetRatio(objectiveOf(kind));
      const match = selector(...serviceMatchers(slo), eq("slo", kind));
      periodRules.push(
        { record: SLO_SERIES.objective, expr: `vector(${num(objectiveOf(kind) / 100)})`, labels: labelsOf(kind) },
        { record: SLO_SERIES.errorBudget, expr: `vector(${num(budget)})`, labels: labelsOf(kind) },
        { record: SLO_SERIES.errorRatio(period), expr: errorRatioExpr(kind, slo, period, requests, duration), labels: labelsOf(kind) },
        {
          record: SLO_SERIES.budgetRemaining,
          expr: `1 - ${SLO_SERIES.errorRatio(period)}${match} / ${num(budget)}`,
          labels: labelsOf(kind),
        },
      );
    }
    groups.push({ name: `slo-${slo.namespace}-${slo.name}-period`, interval: "5m", rules: periodRules });
    return { service: slo, groups };
  });
}
