import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FORCES_REPLACEMENT, forcesReplacement } from "../../src/review/replacements";
import { compareStacks } from "../../src/review/compare";
import { ROOT } from "../support/environments";

/** The provider's generated code for a resource type: `aws_eks_node_group` → @cdktf/provider-aws/lib/eks-node-group/index.js. */
function providerSource(type: string): string {
  const [provider, ...rest] = type.split("_");
  const dir = path.join(ROOT, "node_modules", "@cdktf", `provider-${provider}`, "lib", rest.join("-"));
  const read = (d: string): string =>
    readdirSync(d, { withFileTypes: true })
      .map((e) => (e.isDirectory() ? read(path.join(d, e.name)) : e.name.endsWith(".js") ? readFileSync(path.join(d, e.name), "utf8") : ""))
      .join("\n");
  return read(dir);
}

function emittedTypes(): string[] {
  const dir = path.join(ROOT, "generated", "terraform");
  const types = new Set<string>();
  for (const file of readdirSync(dir)) {
    const json = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { resource?: Record<string, unknown> };
    for (const type of Object.keys(json.resource ?? {})) types.add(type);
  }
  return [...types].sort();
}

describe("the forces-replacement table", () => {
  it("has an entry for every resource type Shipyard emits", () => {
    expect(emittedTypes().filter((t) => !(t in FORCES_REPLACEMENT))).toEqual([]);
  });

  const entries = Object.entries(FORCES_REPLACEMENT).flatMap(([type, attrs]) => attrs.map((attr) => [type, attr] as const));

  it.each(entries)("%s.%s is an attribute the provider knows, and changing it means replace", (type, attr) => {
    const source = providerSource(type);
    // Below `manifest` (kubernetes_manifest) the keys are the Kubernetes object's own, not the provider's schema.
    const segments = attr.startsWith("manifest.") ? ["manifest"] : attr.split(".");
    for (const segment of segments) expect(source, `${type}: ${segment}`).toContain(`${segment}: `);
    expect(forcesReplacement(type, attr)).toBe(attr);
    expect(forcesReplacement(type, `${attr.replace(/\./g, "[0].")}[0]`)).toBe(attr);
    const resource = (value: string) => new Map([["s", { resource: { [type]: { x: nested(attr, value) } } }]]);
    const [stack] = compareStacks(resource("old"), resource("new"));
    expect(stack!.resources[0]).toMatchObject({ address: `${type}.x`, action: "replace" });
  });

  it("updates in place what it does not list", () => {
    expect(forcesReplacement("aws_eks_node_group", "scaling_config[0].max_size")).toBeUndefined();
    expect(forcesReplacement("aws_vpc", "tags.Name")).toBeUndefined();
    expect(forcesReplacement("aws_vpc", "cidr_block_extra")).toBeUndefined();
  });
});

function nested(attr: string, value: string): Record<string, unknown> {
  return attr
    .split(".")
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}
