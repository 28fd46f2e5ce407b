/** A picture of stacks (or of one stack's resources) and what depends on what. */
export interface Graph {
  /** Node id → label, grouped (an environment, or `resources`/`data sources`). */
  readonly groups: readonly { readonly name: string; readonly nodes: readonly { readonly id: string; readonly label: string }[] }[];
  /** `from` must exist before `to` (arrows point the way deploys run). */
  readonly edges: readonly { readonly from: string; readonly to: string }[];
}

export type GraphFormat = "mermaid" | "dot";
export const GRAPH_FORMATS: readonly GraphFormat[] = ["mermaid", "dot"];

/** Stacks per environment from `manifest.json`'s dependencies. */
export function stackGraph(stacks: readonly { name: string; dependencies: readonly string[] }[]): Graph {
  const envOf = (s: string) => s.slice(0, s.lastIndexOf("-"));
  const envs = [...new Set(stacks.map((s) => envOf(s.name)))].sort();
  return {
    groups: envs.map((env) => ({
      name: env,
      nodes: stacks.filter((s) => envOf(s.name) === env).map((s) => ({ id: s.name, label: s.name })),
    })),
    edges: stacks.flatMap((s) => [...s.dependencies].sort().map((d) => ({ from: d, to: s.name }))),
  };
}

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});

/**
 * The resources and data sources of one stack, with an edge wherever one refers to another
 * (`${aws_vpc.this.id}`, `depends_on`); remote state of other stacks appears as data sources.
 */
export function resourceGraph(json: Json): Graph {
  const nodes: { id: string; label: string; data: boolean }[] = [];
  for (const [block, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, instances] of Object.entries(record(json[block]))) {
      for (const [name, value] of Object.entries(record(instances)))
        nodes.push({ id: `${prefix}${type}.${name}`, label: `${prefix}${type}.${name}`, data: block === "data", ...{ value } });
    }
  }
  const byId = new Set(nodes.map((n) => n.id));
  const edges: { from: string; to: string }[] = [];
  for (const [block, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const [type, instances] of Object.entries(record(json[block]))) {
      for (const [name, value] of Object.entries(record(instances))) {
        const to = `${prefix}${type}.${name}`;
        const text = JSON.stringify({ ...record(value), "//": undefined });
        const refs = new Set<string>();
        for (const m of text.matchAll(/\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)) refs.add(`${m[1] ?? ""}${m[2]}.${m[3]}`);
        for (const m of text.matchAll(/"((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)"/g)) if (byId.has(m[1]!)) refs.add(m[1]!);
        for (const from of [...refs].sort()) if (from !== to && byId.has(from)) edges.push({ from, to });
      }
    }
  }
  return {
    groups: [
      { name: "resources", nodes: nodes.filter((n) => !n.data).map(({ id, label }) => ({ id, label })) },
      { name: "data sources", nodes: nodes.filter((n) => n.data).map(({ id, label }) => ({ id, label })) },
    ].filter((g) => g.nodes.length > 0),
    edges,
  };
}

const mermaidId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, "_");
const dotQuote = (s: string) => `"${s.replace(/"/g, '\\"')}"`;

export function renderGraph(graph: Graph, format: GraphFormat, title: string): string {
  if (format === "dot") {
    const lines = [`digraph ${dotQuote(title)} {`, "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"];
    graph.groups.forEach((g, i) => {
      lines.push(`  subgraph cluster_${i} {`, `    label=${dotQuote(g.name)};`);
      for (const n of g.nodes) lines.push(`    ${dotQuote(n.id)} [label=${dotQuote(n.label)}];`);
      lines.push("  }");
    });
    for (const e of graph.edges) lines.push(`  ${dotQuote(e.from)} -> ${dotQuote(e.to)};`);
    lines.push("}");
    return `${lines.join("\n")}\n`;
  }
  const lines = ["flowchart LR"];
  for (const g of graph.groups) {
    lines.push(`  subgraph ${mermaidId(`group_${g.name}`)}["${g.name}"]`);
    for (const n of g.nodes) lines.push(`    ${mermaidId(n.id)}["${n.label.replace(/"/g, "#quot;")}"]`);
    lines.push("  end");
  }
  for (const e of graph.edges) lines.push(`  ${mermaidId(e.from)} --> ${mermaidId(e.to)}`);
  return `${lines.join("\n")}\n`;
}
