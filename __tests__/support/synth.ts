import { Testing } from "cdktf";
import type { Construct } from "constructs";

/** Synthesized Terraform JSON of one construct tree. */
export interface Synthesized {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
  variable?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Synthesizes constructs built in a fresh test stack and parses the JSON. */
export function synthScope(build: (scope: Construct) => void): Synthesized {
  return JSON.parse(Testing.synthScope(build)) as Synthesized;
}

/** All instances of a resource type, as a list of their attributes. */
export function resources(json: Synthesized, type: string): Record<string, unknown>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The only instance of a resource type; fails when there are none or several. */
export function single(json: Synthesized, type: string): Record<string, unknown> {
  const all = resources(json, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}

export function dataSources(json: Synthesized, type: string): Record<string, unknown>[] {
  return Object.values(json.data?.[type] ?? {});
}
