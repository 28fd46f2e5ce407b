import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The service's Prometheus metrics. This is a contract with the monitoring rules and dashboards:
 *
 * - `http_requests_total{route,method,code}`: counter of answered requests.
 * - `http_request_duration_seconds{route,method,code}`: histogram (`_bucket`, `_sum`, `_count`).
 * - prom-client's default process and Node.js metrics (`process_cpu_seconds_total`,
 *   `process_resident_memory_bytes`, `nodejs_eventloop_lag_seconds`, …).
 *
 * Labels are bounded: `route` is a route template from the router (or `unmatched`), `method` one of
 * {@link METHOD_LABELS}, `code` the numeric status (`499` when the client went away first).
 * The probe and scrape endpoints (`/healthz`, `/readyz`, `/metrics`) are not recorded at all, so SLO
 * rules need no exclusion filter. `job`, `namespace`, `pod`, `service` come from the scrape.
 */
export const REQUESTS_TOTAL = "http_requests_total";
export const REQUEST_DURATION_SECONDS = "http_request_duration_seconds";

/**
 * Histogram buckets in seconds. They include every latency threshold an SLO may use
 * (0.1, 0.25, 0.3, 0.5, 1 s …) so a "share of requests faster than T" query is exact.
 */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10,
]);

/** Methods that get their own label value; anything else is recorded as `OTHER`. */
export const METHOD_LABELS: readonly string[] = Object.freeze(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export type RequestLabels = { readonly route: string; readonly method: string; readonly code: string };

export interface Metrics {
  readonly registry: Registry;
  /** Records one answered request. */
  observeRequest(labels: RequestLabels, durationSeconds: number): void;
}

export function methodLabel(method: string | undefined): string {
  const upper = (method ?? "").toUpperCase();
  return METHOD_LABELS.includes(upper) ? upper : "OTHER";
}

/**
 * Creates a fresh registry (never prom-client's global one, so that several servers can live in one
 * process, as they do in tests) with the request metrics and, unless disabled, the default metrics.
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const labelNames = ["route", "method", "code"] as const;
  const requests = new Counter({
    name: REQUESTS_TOTAL,
    help: "HTTP requests answered, by route template, method and status code.",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: REQUEST_DURATION_SECONDS,
    help: "Time from request start to the end of the response, in seconds, by route template, method and status code.",
    labelNames,
    buckets: [...DURATION_BUCKETS],
    registers: [registry],
  });

  return {
    registry,
    observeRequest(labels, durationSeconds) {
      const values = { route: labels.route, method: labels.method, code: labels.code };
      requests.inc(values);
      duration.observe(values, durationSeconds);
    },
  };
}
