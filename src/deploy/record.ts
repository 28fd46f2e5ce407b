import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** Where deploys are recorded, relative to the project root (git-ignored). */
export const DEPLOYED_DIR = ".shipyard/deployed";

/** What was last deployed of each stack of one environment (`.shipyard/deployed/<env>.json`). */
export interface DeployRecord {
  readonly environment: string;
  readonly stacks: Record<string, { readonly sha256: string; readonly commit?: string; readonly deployedAt: string }>;
}

/** A stack's content fingerprint: its Terraform JSON without CDKTF's `//` metadata, keys sorted. */
export function fingerprint(json: unknown): string {
  return createHash("sha256").update(canonical(json)).digest("hex");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k]) => k !== "//")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function recordFile(root: string, env: string): string {
  return path.join(root, DEPLOYED_DIR, `${env}.json`);
}

export function readRecord(root: string, env: string): DeployRecord | undefined {
  try {
    return JSON.parse(readFileSync(recordFile(root, env), "utf8")) as DeployRecord;
  } catch {
    return undefined;
  }
}

/** Adds deployed stacks to an environment's record (written beside and renamed, so it is never half-written). */
export function recordDeployed(
  root: string,
  env: string,
  stacks: Record<string, { sha256: string; commit?: string }>,
  now = new Date(),
): void {
  const previous = readRecord(root, env);
  const next: DeployRecord = {
    environment: env,
    stacks: {
      ...previous?.stacks,
      ...Object.fromEntries(Object.entries(stacks).map(([k, v]) => [k, { ...v, deployedAt: now.toISOString() }])),
    },
  };
  const file = recordFile(root, env);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp-${process.pid}`, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(`${file}.tmp-${process.pid}`, file);
}
