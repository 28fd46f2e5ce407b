/**
 * A small typed builder for Grafana dashboard JSON (schemaVersion 39, classic JSON model as Grafana
 * 10/11 imports it and the dashboards sidecar loads it). Only what Shipyard's dashboards use:
 * timeseries, stat, gauge and row panels, Prometheus targets, datasource/query/custom variables.
 * Output is deterministic: fixed key order, ids and grid positions assigned in order.
 */

export const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;
type Datasource = typeof DATASOURCE;

export interface Target {
  readonly refId: string;
  readonly datasource: Datasource;
  readonly expr: string;
  readonly legendFormat: string;
  readonly range: boolean;
  readonly instant: boolean;
}

export type Unit = "short" | "percentunit" | "s" | "reqps" | "bytes" | "decbytes" | "none" | "cores" | "ops";

export interface QuerySpec {
  readonly expr: string;
  /** @default "__auto" */
  readonly legend?: string;
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly queries: readonly QuerySpec[];
  /** @default "short" */
  readonly unit?: Unit;
  /** Width in grid columns (24 per row). @default 12 */
  readonly width?: number;
  /** @default 8 */
  readonly height?: number;
  readonly min?: number;
  readonly max?: number;
  /** Threshold steps above the base colour: `[value, colour]`. */
  readonly thresholds?: readonly (readonly [number, string])[];
  /** Colour below the first threshold. @default "green" */
  readonly baseColor?: string;
  /** timeseries only: stack series. @default false */
  readonly stacked?: boolean;
  readonly decimals?: number;
}

export type PanelType = "timeseries" | "stat" | "gauge";

export interface Panel {
  readonly id: number;
  readonly type: PanelType | "row";
  readonly title: string;
  readonly gridPos: { readonly h: number; readonly w: number; readonly x: number; readonly y: number };
  readonly [key: string]: unknown;
}

export interface Variable {
  readonly name: string;
  readonly [key: string]: unknown;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timezone: "utc";
  readonly editable: boolean;
  readonly graphTooltip: number;
  readonly schemaVersion: number;
  readonly version: number;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly Variable[] };
  readonly annotations: { readonly list: readonly unknown[] };
  readonly links: readonly unknown[];
  readonly panels: readonly Panel[];
}

/** `$datasource`: every panel and query variable reads from it. */
export function datasourceVariable(): Variable {
  return {
    name: "datasource",
    label: "Data source",
    type: "datasource",
    query: "prometheus",
    current: {},
    hide: 0,
    includeAll: false,
    multi: false,
    options: [],
    refresh: 1,
    regex: "",
    skipUrlSync: false,
  };
}

export interface QueryVariableSpec {
  readonly name: string;
  readonly label: string;
  /** Grafana's `label_values(<selector>, <label>)`. */
  readonly query: string;
  /** @default false */
  readonly multi?: boolean;
  /** @default false: with includeAll, "All" is `.*` */
  readonly includeAll?: boolean;
  /** 0 visible, 2 hidden. @default 0 */
  readonly hide?: 0 | 2;
}

export function queryVariable(spec: QueryVariableSpec): Variable {
  return {
    name: spec.name,
    label: spec.label,
    type: "query",
    datasource: DATASOURCE,
    definition: spec.query,
    query: { qryType: 1, query: spec.query, refId: "PrometheusVariableQueryEditor-VariableQuery" },
    current: {},
    hide: spec.hide ?? 0,
    includeAll: spec.includeAll ?? false,
    ...(spec.includeAll ? { allValue: ".*" } : {}),
    multi: spec.multi ?? false,
    options: [],
    refresh: 2,
    regex: "",
    skipUrlSync: false,
    sort: 1,
  };
}

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function targets(queries: readonly QuerySpec[]): Target[] {
  return queries.map((q, i) => ({
    refId: REF_IDS[i]!,
    datasource: DATASOURCE,
    expr: q.expr,
    legendFormat: q.legend ?? "__auto",
    range: true,
    instant: false,
  }));
}

function fieldConfig(spec: PanelSpec, type: PanelType) {
  const steps = [
    { color: spec.baseColor ?? "green", value: null as number | null },
    ...(spec.thresholds ?? []).map(([value, color]) => ({ color, value })),
  ];
  return {
    defaults: {
      unit: spec.unit ?? "short",
      ...(spec.decimals !== undefined ? { decimals: spec.decimals } : {}),
      ...(spec.min !== undefined ? { min: spec.min } : {}),
      ...(spec.max !== undefined ? { max: spec.max } : {}),
      color: { mode: type === "timeseries" ? "palette-classic" : "thresholds" },
      thresholds: { mode: "absolute", steps },
      ...(type === "timeseries"
        ? {
            custom: {
              drawStyle: "line",
              lineWidth: 1,
              fillOpacity: spec.stacked ? 30 : 10,
              showPoints: "never",
              spanNulls: false,
              stacking: { mode: spec.stacked ? "normal" : "none", group: "A" },
              thresholdsStyle: { mode: spec.thresholds ? "dashed" : "off" },
            },
          }
        : {}),
    },
    overrides: [],
  };
}

function options(type: PanelType) {
  if (type === "timeseries") {
    return {
      legend: { displayMode: "table", placement: "bottom", showLegend: true, calcs: ["mean", "max", "lastNotNull"] },
      tooltip: { mode: "multi", sort: "desc" },
    };
  }
  const reduce = { calcs: ["lastNotNull"], fields: "", values: false };
  return type === "stat"
    ? { reduceOptions: reduce, colorMode: "value", graphMode: "area", justifyMode: "auto", orientation: "auto", textMode: "auto" }
    : { reduceOptions: reduce, orientation: "auto", showThresholdLabels: false, showThresholdMarkers: true };
}

type Item = { kind: "row"; title: string } | { kind: "panel"; type: PanelType; spec: PanelSpec };

/** Collects rows and panels, then lays them out left to right, top to bottom on Grafana's 24-column grid. */
export class DashboardBuilder {
  private readonly items: Item[] = [];
  private readonly variables: Variable[] = [datasourceVariable()];

  constructor(private readonly meta: { uid: string; title: string; description: string; tags: readonly string[]; from?: string }) {
    if (!/^[a-z0-9-]{1,40}$/.test(meta.uid)) throw new Error(`dashboard uid ${meta.uid} must be 1-40 characters of a-z, 0-9 and '-'`);
  }

  variable(spec: QueryVariableSpec): this {
    this.variables.push(queryVariable(spec));
    return this;
  }

  row(title: string): this {
    this.items.push({ kind: "row", title });
    return this;
  }

  timeseries(spec: PanelSpec): this {
    this.items.push({ kind: "panel", type: "timeseries", spec });
    return this;
  }

  stat(spec: PanelSpec): this {
    this.items.push({ kind: "panel", type: "stat", spec: { width: 6, height: 5, ...spec } });
    return this;
  }

  gauge(spec: PanelSpec): this {
    this.items.push({ kind: "panel", type: "gauge", spec: { width: 6, height: 6, ...spec } });
    return this;
  }

  build(): Dashboard {
    const panels: Panel[] = [];
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    let id = 1;
    for (const item of this.items) {
      if (item.kind === "row") {
        if (x > 0) y += rowHeight;
        panels.push({ id: id++, type: "row", title: item.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
        x = 0;
        y += 1;
        rowHeight = 0;
        continue;
      }
      const { spec, type } = item;
      const w = spec.width ?? 12;
      const h = spec.height ?? 8;
      if (w < 1 || w > 24) throw new Error(`panel ${spec.title}: width ${w} is outside 1..24`);
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push({
        id: id++,
        type,
        title: spec.title,
        description: spec.description,
        datasource: DATASOURCE,
        gridPos: { h, w, x, y },
        targets: targets(spec.queries),
        fieldConfig: fieldConfig(spec, type),
        options: options(type),
      });
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    return {
      uid: this.meta.uid,
      title: this.meta.title,
      description: this.meta.description,
      tags: [...this.meta.tags],
      timezone: "utc",
      editable: false,
      graphTooltip: 1,
      schemaVersion: 39,
      version: 1,
      refresh: "1m",
      time: { from: this.meta.from ?? "now-6h", to: "now" },
      templating: { list: this.variables },
      annotations: { list: [] },
      links: [],
      panels,
    };
  }
}
