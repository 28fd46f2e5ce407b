import { expect } from "vitest";
import { Testing } from "cdktf";
import type { Construct } from "constructs";

export interface SynthJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
}

export function synth(build: (scope: Construct) => void): SynthJson {
  return JSON.parse(Testing.synthScope(build)) as SynthJson;
}

export function helmReleases(json: SynthJson): Record<string, unknown>[] {
  return Object.values(json.resource?.helm_release ?? {});
}

/** The one helm_release whose Helm release name is `name`. */
export function release(json: SynthJson, name: string): Record<string, unknown> {
  const found = helmReleases(json).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one helm_release named ${name}, found ${found.length}`);
  return found[0]!;
}

/**
 * The values of a release as Helm sees them: its documents (JSON, which Helm reads as YAML) parsed and
 * merged in order, maps key by key and arrays replaced.
 */
export function releaseValues(r: Record<string, unknown>): any {
  return mergedValues(r.values as string[]);
}

export function mergedValues(documents: readonly string[]): any {
  expect(documents.length).toBeGreaterThan(0);
  return documents.map((d) => JSON.parse(d) as unknown).reduce(helmMerge);
}

function helmMerge(base: unknown, over: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isMap(base) || !isMap(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? helmMerge(base[k], v) : v;
  return out;
}

/** Settings every Shipyard release must carry. */
export function expectSafeRelease(r: Record<string, unknown>): void {
  expect(r.atomic).toBe(true);
  expect(r.cleanup_on_fail).toBe(true);
  expect(r.wait).toBe(true);
  expect(typeof r.timeout).toBe("number");
  expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(r.repository).toMatch(/^https:\/\//);
}

export const ROLE = (name: string) => `arn:aws:iam::111111111111:role/shipyard-dev-${name}`;
export const PLACEMENT = { preferNodes: { key: "eks.amazonaws.com/nodegroup", values: ["shipyard-dev-system"] } };
