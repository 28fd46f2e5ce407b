import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * Upstream chart data (`Chart.yaml`, `values.yaml`, `values.schema.json` of each pinned release) lives in
 * `../shared/charts/<chart>-<version>/` beside the project, read in place and never copied in.
 */
export const SHARED_CHARTS = path.resolve(__dirname, "..", "..", "..", "shared", "charts");

/**
 * Whether the shared chart data is present. Without it, suites skip with a visible notice on a laptop and
 * fail under CI.
 */
export function requireSharedCharts(): boolean {
  if (existsSync(SHARED_CHARTS)) return true;
  if (process.env.CI) throw new Error(`${SHARED_CHARTS} is required under CI (upstream chart data, see its README)`);
  process.stderr.write(`NOTICE: ${SHARED_CHARTS} not found; skipping the chart values suites\n`);
  return false;
}

export function chartDir(chart: string, version: string): string {
  return path.join(SHARED_CHARTS, `${chart}-${version}`);
}

export function hasChart(chart: string, version: string): boolean {
  return existsSync(path.join(chartDir(chart, version), "Chart.yaml"));
}

export interface ChartYaml {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly kubeVersion?: string;
  readonly dependencies?: readonly { readonly name: string; readonly version: string; readonly repository?: string }[];
}

export function chartYaml(chart: string, version: string): ChartYaml {
  return parse(readFileSync(path.join(chartDir(chart, version), "Chart.yaml"), "utf8")) as ChartYaml;
}

export function valuesText(chart: string, version: string): string {
  return readFileSync(path.join(chartDir(chart, version), "values.yaml"), "utf8");
}

export function valuesYaml(chart: string, version: string): unknown {
  return parse(valuesText(chart, version));
}

/** The chart's `values.schema.json`, or undefined when the chart ships none. */
export function valuesSchema(chart: string, version: string): Record<string, unknown> | undefined {
  const file = path.join(chartDir(chart, version), "values.schema.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : undefined;
}
