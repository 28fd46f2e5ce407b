import { SLO_SERIES } from "../slo";
import { DashboardBuilder, type Dashboard } from "./builder";

export interface ServiceDashboardProps {
  /** @default "shipyard-service" */
  readonly uid?: string;
  /** @default "http_requests_total" */
  readonly requestsMetric?: string;
  /** @default "http_request_duration_seconds" */
  readonly durationMetric?: string;
}

/**
 * RED (rate, errors, duration) of one service, its SLO error budget remaining and burn rates, and
 * its process metrics (prom-client defaults). Variables: datasource, cluster, namespace, service.
 */
export function serviceDashboard(props: ServiceDashboardProps = {}): Dashboard {
  const requests = props.requestsMetric ?? "http_requests_total";
  const duration = props.durationMetric ?? "http_request_duration_seconds";
  const s = 'cluster="$cluster",namespace="$namespace",service="$service"';
  const rate = (metric: string, extra = "") => `rate(${metric}{${s}${extra}}[$__rate_interval])`;
  const b = new DashboardBuilder({
    uid: props.uid ?? "shipyard-service",
    title: "Shipyard / Service",
    description: "Traffic, errors and duration of one service, its SLO error budget and burn rates, and its process metrics.",
    tags: ["shipyard", "service", "slo"],
  })
    .variable({ name: "cluster", label: "Cluster", query: "label_values(up, cluster)" })
    .variable({ name: "namespace", label: "Namespace", query: `label_values(${requests}{cluster="$cluster"}, namespace)` })
    .variable({
      name: "service",
      label: "Service",
      query: `label_values(${requests}{cluster="$cluster",namespace="$namespace"}, service)`,
    });

  b.row("Traffic, errors, duration")
    .timeseries({
      title: "Requests per second by route",
      description: "Answered requests (probe and metrics endpoints excluded by the service).",
      unit: "reqps",
      queries: [{ expr: `sum by (route) (${rate(requests)})`, legend: "{{route}}" }],
      width: 8,
    })
    .timeseries({
      title: "Requests per second by status code",
      description: "499: the client went away before the response was complete.",
      unit: "reqps",
      stacked: true,
      queries: [{ expr: `sum by (code) (${rate(requests)})`, legend: "{{code}}" }],
      width: 8,
    })
    .timeseries({
      title: "Error ratio (5xx)",
      description: "Share of requests answered with a 5xx: the availability SLI.",
      unit: "percentunit",
      min: 0,
      queries: [{ expr: `sum(${rate(requests, ',code=~"5.."')}) / sum(${rate(requests)})`, legend: "5xx share" }],
      width: 8,
    })
    .timeseries({
      title: "Duration quantiles",
      description: "Estimated from the histogram buckets.",
      unit: "s",
      queries: [0.5, 0.9, 0.99].map((q) => ({
        expr: `histogram_quantile(${q}, sum by (le) (${rate(`${duration}_bucket`)}))`,
        legend: `p${Math.round(q * 100)}`,
      })),
    })
    .timeseries({
      title: "p99 duration by route",
      description: "99th percentile per route template.",
      unit: "s",
      queries: [{ expr: `histogram_quantile(0.99, sum by (le, route) (${rate(`${duration}_bucket`)}))`, legend: "{{route}}" }],
    });

  const slo = (kind: "availability" | "latency") => `${s},slo="${kind}"`;
  b.row("SLO: error budget and burn rate");
  for (const kind of ["availability", "latency"] as const) {
    b.stat({
      title: `${kind === "availability" ? "Availability" : "Latency"} error budget remaining (30d)`,
      description: `Share of the ${kind} error budget of the SLO period not yet spent; below 0 the objective is missed.`,
      unit: "percentunit",
      decimals: 1,
      baseColor: "red",
      thresholds: [
        [0, "orange"],
        [0.25, "yellow"],
        [0.5, "green"],
      ],
      queries: [{ expr: `${SLO_SERIES.budgetRemaining}{${slo(kind)}}`, legend: "remaining" }],
    }).stat({
      title: `${kind === "availability" ? "Availability" : "Latency"} SLI (30d) vs objective`,
      description: `Share of good requests over the SLO period, and the objective.`,
      unit: "percentunit",
      decimals: 3,
      queries: [
        { expr: `1 - ${SLO_SERIES.errorRatio("30d")}{${slo(kind)}}`, legend: "SLI" },
        { expr: `${SLO_SERIES.objective}{${slo(kind)}}`, legend: "objective" },
      ],
    });
  }
  for (const kind of ["availability", "latency"] as const) {
    b.timeseries({
      title: `${kind === "availability" ? "Availability" : "Latency"} burn rate`,
      description:
        "Error ratio divided by the error budget: 1 spends the budget exactly over the SLO period. Pages at 14.4 (1h and 5m) and 6 (6h and 30m), tickets at 1 (3d and 6h).",
      unit: "short",
      min: 0,
      thresholds: [
        [1, "yellow"],
        [6, "orange"],
        [14.4, "red"],
      ],
      queries: ["5m", "1h", "6h", "3d"].map((w) => ({
        expr: `${SLO_SERIES.errorRatio(w)}{${slo(kind)}} / on (namespace, service, slo) ${SLO_SERIES.errorBudget}{${slo(kind)}}`,
        legend: w,
      })),
    });
  }

  b.row("Process")
    .stat({
      title: "Targets up",
      description: "Scrape targets (pods) of the service that answer.",
      queries: [{ expr: `sum(up{${s}})`, legend: "up" }],
    })
    .timeseries({
      title: "CPU",
      description: "CPU seconds per second, per pod.",
      unit: "cores",
      queries: [{ expr: `sum by (pod) (${rate("process_cpu_seconds_total")})`, legend: "{{pod}}" }],
      width: 9,
      height: 5,
    })
    .timeseries({
      title: "Resident memory",
      description: "Resident set size per pod.",
      unit: "bytes",
      queries: [{ expr: `sum by (pod) (process_resident_memory_bytes{${s}})`, legend: "{{pod}}" }],
      width: 9,
      height: 5,
    })
    .timeseries({
      title: "Event loop lag p99",
      description: "Node.js event loop lag, 99th percentile, per pod.",
      unit: "s",
      queries: [{ expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${s}})`, legend: "{{pod}}" }],
    })
    .timeseries({
      title: "Heap used",
      description: "V8 heap in use per pod.",
      unit: "bytes",
      queries: [{ expr: `sum by (pod) (nodejs_heap_size_used_bytes{${s}})`, legend: "{{pod}}" }],
    });
  return b.build();
}
