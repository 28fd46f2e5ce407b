/** Terraform JSON of one stack, as synthesized (`cdk.tf.json`). */
export type StackJson = Record<string, unknown>;

export type ChangeKind = "added" | "removed" | "changed";

export interface ResourceChange {
  /** `resource.aws_vpc.network_vpc_1A2B3C` or `data.aws_iam_policy_document.x`. */
  readonly address: string;
  readonly kind: ChangeKind;
  /** Attribute paths that differ, for `changed`; e.g. `tags.Name`, `ingress[0].cidr_blocks`. */
  readonly attributes: readonly string[];
}

export interface StackChange {
  readonly stack: string;
  readonly kind: ChangeKind;
  readonly resources: readonly ResourceChange[];
  /** Top-level blocks other than resources and data sources that changed (provider, terraform, output, variable, locals). */
  readonly settings: readonly string[];
}

const BLOCKS_WITH_ADDRESSES = ["resource", "data"] as const;

/**
 * Resource-level review of what a change does: which stacks and resources are added, removed or
 * changed, and which attributes changed. CDKTF's `//` metadata (construct paths) is ignored, so moving
 * code without changing what it produces shows no change.
 */
export function compareStacks(before: ReadonlyMap<string, StackJson>, after: ReadonlyMap<string, StackJson>): StackChange[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: StackChange[] = [];
  for (const stack of names) {
    const old = before.get(stack);
    const current = after.get(stack);
    if (!old || !current) {
      const only = (old ?? current)!;
      changes.push({
        stack,
        kind: old ? "removed" : "added",
        resources: addresses(only).map((address) => ({ address, kind: old ? "removed" : "added", attributes: [] })),
        settings: [],
      });
      continue;
    }
    const resources = compareResources(old, current);
    const settings = compareSettings(old, current);
    if (resources.length > 0 || settings.length > 0) changes.push({ stack, kind: "changed", resources, settings });
  }
  return changes;
}

function addresses(stack: StackJson): string[] {
  const result: string[] = [];
  for (const block of BLOCKS_WITH_ADDRESSES) {
    for (const [type, instances] of Object.entries(asRecord(stack[block]))) {
      for (const name of Object.keys(asRecord(instances))) result.push(`${block}.${type}.${name}`);
    }
  }
  return result.sort();
}

function lookup(stack: StackJson, address: string): unknown {
  const [block, type, name] = address.split(".") as [string, string, string];
  return asRecord(asRecord(stack[block])[type])[name];
}

function compareResources(old: StackJson, current: StackJson): ResourceChange[] {
  const before = new Set(addresses(old));
  const after = new Set(addresses(current));
  const changes: ResourceChange[] = [];
  for (const address of [...new Set([...before, ...after])].sort()) {
    if (!before.has(address)) changes.push({ address, kind: "added", attributes: [] });
    else if (!after.has(address)) changes.push({ address, kind: "removed", attributes: [] });
    else {
      const attributes = changedPaths(lookup(old, address), lookup(current, address), "");
      if (attributes.length > 0) changes.push({ address, kind: "changed", attributes });
    }
  }
  return changes;
}

function compareSettings(old: StackJson, current: StackJson): string[] {
  const keys = new Set([...Object.keys(old), ...Object.keys(current)].filter((k) => k !== "//" && !(BLOCKS_WITH_ADDRESSES as readonly string[]).includes(k)));
  return [...keys].sort().flatMap((key) => changedPaths(old[key], current[key], key));
}

/** Paths at which two JSON values differ, ignoring `//` metadata keys. */
export function changedPaths(a: unknown, b: unknown, prefix: string): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [prefix || "(value)"];
    return a.flatMap((item, i) => changedPaths(item, b[i], `${prefix}[${i}]`));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== "//").sort();
    return keys.flatMap((key) => changedPaths(a[key], b[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || "(value)"];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
