import { readFileSync, readdirSync, existsSync } from "node:fs";
import * as path from "node:path";

/**
 * The attribute and block names the kubernetes provider accepts, read from the generated provider
 * bindings (@cdktf/provider-kubernetes, generated from the provider's own schema): each `*ToTerraform`
 * function lists the JSON keys of one block. A key in synthesized JSON that is not in this tree would be
 * rejected by `terraform validate`; tests walk every resource against it.
 */
type Node = { kind: "block"; fields: Map<string, Node | "leaf"> } | { kind: "map" };

const LIB = path.join(path.dirname(require.resolve("@cdktf/provider-kubernetes/package.json")), "lib");
const META_ARGUMENTS = new Set(["depends_on", "lifecycle", "provider", "count", "for_each", "connection", "provisioner"]);
const FIELD = /^\s+([a-z_0-9]+): (.+?),?$/;
const CHILD = /(?<!cdktf\.)\b([a-z][A-Za-z0-9]*ToTerraform)\b/;

function bodies(dir: string): { functions: Map<string, string[]>; root: string[] } {
  const files = [path.join(dir, "index.js")];
  const structs = path.join(dir, "index-structs");
  if (existsSync(structs))
    files.push(
      ...readdirSync(structs)
        .filter((f) => f.endsWith(".js"))
        .map((f) => path.join(structs, f)),
    );
  const functions = new Map<string, string[]>();
  let root: string[] = [];
  for (const file of files) {
    const lines = readFileSync(file, "utf8").split("\n");
    let current: string[] | undefined;
    let inMethod = false;
    for (const line of lines) {
      const fn = /^function ([A-Za-z0-9]+ToTerraform)\(struct\)/.exec(line);
      if (fn) {
        current = [];
        inMethod = false;
        functions.set(fn[1]!, current);
        continue;
      }
      if (/^\s+synthesizeAttributes\(\) \{/.test(line)) {
        current = [];
        inMethod = true;
        root = current;
        continue;
      }
      if (current && (/^}/.test(line) || (inMethod && /^ {4}}/.test(line)))) {
        current = undefined;
        continue;
      }
      current?.push(line);
    }
  }
  return { functions, root };
}

function build(lines: string[], functions: Map<string, string[]>, seen: Map<string, Node>): Node {
  const fields = new Map<string, Node | "leaf">();
  const node: Node = { kind: "block", fields };
  for (const line of lines) {
    const m = FIELD.exec(line);
    if (!m) continue;
    const [, key, value] = m;
    const child = CHILD.exec(value!);
    if (child && functions.has(child[1]!)) {
      const name = child[1]!;
      let sub = seen.get(name);
      if (!sub) {
        sub = { kind: "block", fields: new Map() };
        seen.set(name, sub);
        const built = build(functions.get(name)!, functions, seen) as { kind: "block"; fields: Map<string, Node | "leaf"> };
        for (const [k, v] of built.fields) sub.fields.set(k, v);
      }
      fields.set(key!, sub);
    } else if (/hashMapper/.test(value!)) {
      fields.set(key!, { kind: "map" });
    } else {
      fields.set(key!, "leaf");
    }
  }
  return node;
}

const cache = new Map<string, Node>();

/** Schema tree of a resource type, e.g. `kubernetes_deployment_v1`. */
export function resourceSchema(type: string): Node {
  let node = cache.get(type);
  if (!node) {
    const dir = path.join(LIB, type.replace(/^kubernetes_/, "").replace(/_/g, "-"));
    const { functions, root } = bodies(dir);
    if (root.length === 0) throw new Error(`no synthesizeAttributes found for ${type} in ${dir}`);
    node = build(root, functions, new Map());
    cache.set(type, node);
  }
  return node;
}

/** Every JSON key path of a resource that the provider schema does not know; [] when all are known. */
export function unknownKeys(type: string, resource: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, node: Node, at: string, top: boolean) => {
    if (node.kind === "map") return;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (item === null || typeof item !== "object" || Array.isArray(item)) continue;
      for (const [key, child] of Object.entries(item as Record<string, unknown>)) {
        if (top && META_ARGUMENTS.has(key)) continue;
        const field = node.fields.get(key);
        const where = at ? `${at}.${key}` : key;
        if (field === undefined) problems.push(where);
        else if (field !== "leaf") walk(child, field, where, false);
      }
    }
  };
  walk(resource, resourceSchema(type), "", true);
  return problems;
}

/** True when a dotted path (`spec.template.spec.container.security_context`) exists in the schema. */
export function hasPath(type: string, dotted: string): boolean {
  let node: Node | "leaf" = resourceSchema(type);
  for (const key of dotted.split(".")) {
    if (node === "leaf" || node.kind === "map") return false;
    const next: Node | "leaf" | undefined = node.fields.get(key);
    if (next === undefined) return false;
    node = next;
  }
  return true;
}
