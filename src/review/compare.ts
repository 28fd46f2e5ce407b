import { parse as parseYaml } from "yaml";
import { FORCES_REPLACEMENT, forcesReplacement } from "./replacements";

/** Terraform JSON of one stack, as synthesized (`cdk.tf.json`). */
export type StackJson = Record<string, unknown>;

export type ChangeKind = "added" | "removed" | "changed";

/**
 * What Terraform will do to a resource: create, update in place, replace (destroy then create,
 * because an attribute that forces replacement changed) or delete. Data sources are only re-read.
 */
export type Action = "create" | "update" | "replace" | "delete" | "read";

/** One changed value: `scaling_config.max_size: 12 → 16`. Absent `before`/`after` means added/removed. */
export interface AttributeChange {
  /** `scaling_config.max_size`; inside a JSON or YAML string the path goes on into the document (`values[0].prometheus.retention`). */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** The table entry (`src/review/replacements.ts`) this change falls under, when it forces replacement. */
  readonly forcesReplacement?: string;
}

export interface ResourceChange {
  /** Terraform address: `aws_vpc.this`, `data.aws_iam_policy_document.deployer`. */
  readonly address: string;
  readonly type: string;
  readonly data: boolean;
  readonly kind: ChangeKind;
  readonly action: Action;
  readonly changes: readonly AttributeChange[];
}

export interface StackChange {
  readonly stack: string;
  readonly kind: ChangeKind;
  /** Resources (and, marked `data`, data sources) that differ. */
  readonly resources: readonly ResourceChange[];
  /** Top-level blocks other than resources and data sources that changed (provider, terraform, output, variable, locals). */
  readonly settings: readonly AttributeChange[];
}

const BLOCKS_WITH_ADDRESSES = ["resource", "data"] as const;

/**
 * Resource-level review of what a change does: which stacks and resources are added, removed,
 * changed or replaced, with old and new values. CDKTF's `//` metadata (construct paths) is ignored,
 * so moving code without changing what it produces shows no change.
 */
export function compareStacks(before: ReadonlyMap<string, StackJson>, after: ReadonlyMap<string, StackJson>): StackChange[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: StackChange[] = [];
  for (const stack of names) {
    const old = before.get(stack);
    const current = after.get(stack);
    if (!old || !current) {
      const kind: ChangeKind = old ? "removed" : "added";
      const resources = entries(old ?? current!).map(({ address, type, data }) => ({
        address,
        type,
        data,
        kind,
        action: data ? ("read" as const) : kind === "added" ? ("create" as const) : ("delete" as const),
        changes: [],
      }));
      changes.push({ stack, kind, resources, settings: [] });
      continue;
    }
    const resources = compareResources(old, current);
    const settings = compareSettings(old, current);
    if (resources.length > 0 || settings.length > 0) changes.push({ stack, kind: "changed", resources, settings });
  }
  return changes;
}

interface Entry {
  address: string;
  type: string;
  data: boolean;
  value: unknown;
}

function entries(stack: StackJson): Entry[] {
  const result: Entry[] = [];
  for (const block of BLOCKS_WITH_ADDRESSES) {
    for (const [type, instances] of Object.entries(asRecord(stack[block]))) {
      for (const [name, value] of Object.entries(asRecord(instances))) {
        result.push({ address: `${block === "data" ? "data." : ""}${type}.${name}`, type, data: block === "data", value });
      }
    }
  }
  return result.sort((a, b) => a.address.localeCompare(b.address));
}

function compareResources(old: StackJson, current: StackJson): ResourceChange[] {
  const before = new Map(entries(old).map((e) => [e.address, e]));
  const after = new Map(entries(current).map((e) => [e.address, e]));
  const changes: ResourceChange[] = [];
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(address);
    const b = after.get(address);
    const { type, data } = (a ?? b)!;
    if (!a) changes.push({ address, type, data, kind: "added", action: data ? "read" : "create", changes: [] });
    else if (!b) changes.push({ address, type, data, kind: "removed", action: data ? "read" : "delete", changes: [] });
    else {
      const diff = valueChanges(a.value, b.value, "").map((c) => {
        const forces = data ? undefined : forcesReplacement(type, c.path);
        return forces ? { ...c, forcesReplacement: forces } : c;
      });
      if (diff.length === 0) continue;
      const action: Action = data ? "read" : diff.some((c) => c.forcesReplacement) ? "replace" : "update";
      changes.push({ address, type, data, kind: "changed", action, changes: diff });
    }
  }
  return withKnockOnReplacements(changes, after);
}

/**
 * A resource whose replacement-forcing attribute refers to a replaced resource (`vpc_id =
 * ${aws_vpc.this.id}`) is replaced too, though its text did not change: the new id is only known
 * after apply. Followed until nothing more is found, within the stack.
 */
function withKnockOnReplacements(changes: ResourceChange[], after: ReadonlyMap<string, Entry>): ResourceChange[] {
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  for (let found = true; found;) {
    found = false;
    const replaced = [...byAddress.values()].filter((c) => c.action === "replace").map((c) => c.address);
    if (replaced.length === 0) break;
    for (const entry of after.values()) {
      if (entry.data) continue;
      const current = byAddress.get(entry.address);
      if (current && (current.action === "replace" || current.action === "create" || current.action === "delete")) continue;
      for (const attr of FORCES_REPLACEMENT[entry.type] ?? []) {
        const text = JSON.stringify(at(entry.value, attr.split(".")) ?? null);
        const cause = replaced.find((address) => text.includes(`\${${address}.`));
        if (!cause) continue;
        const knockOn: AttributeChange = {
          path: attr,
          before: JSON.parse(text) as unknown,
          after: `(known after apply: ${cause} is replaced)`,
          forcesReplacement: attr,
        };
        byAddress.set(entry.address, {
          address: entry.address,
          type: entry.type,
          data: false,
          kind: "changed",
          action: "replace",
          changes: [...(current?.changes ?? []), knockOn],
        });
        found = true;
        break;
      }
    }
  }
  return [...byAddress.values()].sort((a, b) => a.address.localeCompare(b.address));
}

/** The value at a schema path, looking through lists (blocks are lists or objects in Terraform JSON). */
function at(value: unknown, keys: readonly string[]): unknown {
  if (keys.length === 0) return value;
  if (Array.isArray(value)) return value.map((item) => at(item, keys));
  return isRecord(value) ? at(value[keys[0]!], keys.slice(1)) : undefined;
}

function compareSettings(old: StackJson, current: StackJson): AttributeChange[] {
  const keys = new Set(
    [...Object.keys(old), ...Object.keys(current)].filter((k) => k !== "//" && !(BLOCKS_WITH_ADDRESSES as readonly string[]).includes(k)),
  );
  return [...keys].sort().flatMap((key) => valueChanges(old[key], current[key], key));
}

/**
 * The values at which two JSON values differ, ignoring `//` metadata keys. Objects are compared key
 * by key and lists item by item when their lengths match; a string that holds a JSON document (an IAM
 * policy) or a YAML mapping (Helm values) is parsed and compared key by key too.
 */
export function valueChanges(a: unknown, b: unknown, prefix: string): AttributeChange[] {
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => valueChanges(item, b[i], `${prefix}[${i}]`));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== "//").sort();
    return keys.flatMap((key) => valueChanges(a[key], b[key], join(prefix, key)));
  }
  if (typeof a === "string" && typeof b === "string" && a !== b) {
    const docA = document(a);
    const docB = document(b);
    if (docA !== undefined && docB !== undefined) return valueChanges(docA, docB, prefix);
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const path = prefix || "(value)";
  if (a === undefined) return [{ path, after: b }];
  if (b === undefined) return [{ path, before: a }];
  return [{ path, before: a, after: b }];
}

function join(prefix: string, key: string): string {
  const part = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
  return prefix ? `${prefix}.${part}` : part;
}

/** A JSON document or a multi-line YAML mapping held in a string, parsed; otherwise undefined. */
function document(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!trimmed.includes("\n") || !/^[\w"'-][^\n]*:/m.test(trimmed)) return undefined;
  try {
    const parsed = parseYaml(trimmed) as unknown;
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
