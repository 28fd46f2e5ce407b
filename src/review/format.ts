import type { ArtifactChange } from "./artifacts";
import type { Action, AttributeChange, ResourceChange, StackChange } from "./compare";

export type DiffFormat = "text" | "markdown" | "json";

/** What `shipyard diff` reports: the stacks' resources and the other generated files. */
export interface Review {
  readonly against: string;
  readonly stacks: readonly StackChange[];
  readonly artifacts: readonly ArtifactChange[];
}

/** GitHub refuses comments over 65,536 characters; the markdown stays below this, with room to spare for a wrapper. */
export const MARKDOWN_LIMIT = 60_000;

export interface Summary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  /** Data sources that differ: re-read at plan time, never counted as changes. */
  dataRead: number;
  stacks: number;
  artifacts: number;
}

export function summarize(review: Review): Summary {
  const resources = review.stacks.flatMap((s) => s.resources);
  const count = (action: Action) => resources.filter((r) => !r.data && r.action === action).length;
  return {
    create: count("create"),
    update: count("update"),
    replace: count("replace"),
    delete: count("delete"),
    dataRead: resources.filter((r) => r.data).length,
    stacks: review.stacks.length,
    artifacts: review.artifacts.length,
  };
}

/** Whether the review shows anything at all. */
export function hasChanges(review: Review): boolean {
  return review.stacks.length > 0 || review.artifacts.length > 0;
}

const SIGN: Record<Action, string> = { create: "+", update: "~", replace: "-/+", delete: "-", read: "<=" };
const FILE_SIGN = { added: "+", removed: "-", changed: "~" } as const;

function summaryLine(s: Summary): string {
  return `${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy in ${s.stacks} stack(s); ${s.dataRead} data source(s) re-read; ${s.artifacts} other generated file(s) changed`;
}

/** Resources destroyed or replaced, the ones a reviewer must look at first. */
function destructive(review: Review): { stack: string; resource: ResourceChange }[] {
  return review.stacks.flatMap((s) =>
    s.resources
      .filter((r) => !r.data && (r.action === "delete" || r.action === "replace"))
      .map((resource) => ({ stack: s.stack, resource })),
  );
}

function because(r: ResourceChange): string {
  if (r.action === "delete") return "removed from the configuration";
  const attrs = [...new Set(r.changes.filter((c) => c.forcesReplacement).map((c) => c.forcesReplacement!))];
  return `${attrs.join(", ")} forces replacement`;
}

export function value(v: unknown, max = 120): string {
  if (v === undefined) return "(none)";
  const text = JSON.stringify(v) ?? String(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Old and new value for display. Two long strings are shown from a little before their first
 * difference, so a change deep inside a long expression stays visible.
 */
export function pair(before: unknown, after: unknown, max = 120): [string, string] {
  if (typeof before === "string" && typeof after === "string") {
    const a = JSON.stringify(before);
    const b = JSON.stringify(after);
    if (a.length > max || b.length > max) {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      const start = Math.max(0, i - 24);
      const cut = (t: string) => {
        const body = t.slice(start);
        const shown = body.length > max - 1 ? `${body.slice(0, max - 2)}…` : body;
        return start > 0 ? `…${shown}` : shown;
      };
      return [cut(a), cut(b)];
    }
  }
  return [value(before, max), value(after, max)];
}

function change(c: AttributeChange): string {
  const [a, b] = pair(c.before, c.after);
  return `${c.path}: ${a} → ${b}${c.forcesReplacement ? "  (forces replacement)" : ""}`;
}

function pairCells(c: AttributeChange): string {
  const [a, b] = pair(c.before, c.after, 100);
  return `${code(a)} | ${code(b)}`;
}

export function formatDiff(review: Review, format: DiffFormat): string {
  if (format === "json")
    return `${JSON.stringify({ against: review.against, summary: summarize(review), stacks: review.stacks, artifacts: review.artifacts }, null, 2)}\n`;
  if (format === "markdown") return formatMarkdown(review);
  return formatText(review);
}

function formatText(review: Review): string {
  if (!hasChanges(review)) return `No changes against ${review.against}.\n`;
  const lines = [`Against ${review.against}: ${summaryLine(summarize(review))}.`];
  const danger = destructive(review);
  if (danger.length > 0) {
    lines.push("", `WARNING: ${danger.length} resource(s) will be destroyed or replaced:`);
    for (const { stack, resource } of danger) lines.push(`  ${SIGN[resource.action]} ${stack} ${resource.address} (${because(resource)})`);
  }
  for (const stack of review.stacks) {
    lines.push("", `${FILE_SIGN[stack.kind]} stack ${stack.stack}${stack.kind === "changed" ? "" : ` (${stack.kind})`}`);
    for (const r of stack.resources) {
      lines.push(`  ${SIGN[r.action]} ${r.address}${r.data ? " (data source, re-read)" : ""}`);
      for (const c of r.changes) lines.push(`      ${change(c)}`);
    }
    for (const c of stack.settings) lines.push(`  ~ settings ${change(c)}`);
  }
  if (review.artifacts.length > 0) {
    lines.push("", "~ other generated files");
    for (const a of review.artifacts) {
      lines.push(`  ${FILE_SIGN[a.kind]} ${a.file}`);
      for (const c of a.changes) lines.push(`      ${change(c)}`);
      if (a.more > 0) lines.push(`      … and ${a.more} more`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Markdown cell text: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function code(text: string): string {
  const clean = cell(text);
  return clean.includes("`") ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function stackSummary(stack: StackChange): string {
  const counts = new Map<string, number>();
  for (const r of stack.resources) {
    const key = r.data
      ? "data re-read"
      : { create: "to add", update: "to change", replace: "to replace", delete: "to destroy", read: "re-read" }[r.action];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (stack.settings.length > 0) counts.set("settings changed", stack.settings.length);
  const text = [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
  return stack.kind === "changed" ? text : `stack ${stack.kind}: ${text}`;
}

function stackSection(stack: StackChange, full: boolean): string {
  const lines = [`<details><summary><code>${stack.stack}</code>: ${stackSummary(stack)}</summary>`, ""];
  if (!full) {
    lines.push("_Rows left out to stay under the size limit; run `./shipyard diff --format text` for them._", "", "</details>", "");
    return lines.join("\n");
  }
  lines.push("| | address | attribute | before | after |", "| --- | --- | --- | --- | --- |");
  for (const r of stack.resources) {
    const sign = `${SIGN[r.action]}${r.data ? " (data)" : ""}`;
    if (r.changes.length === 0) lines.push(`| ${cell(sign)} | ${code(r.address)} | | | |`);
    r.changes.forEach((c, i) => {
      const attr = `${code(c.path)}${c.forcesReplacement ? " **forces replacement**" : ""}`;
      lines.push(`| ${i === 0 ? cell(sign) : ""} | ${i === 0 ? code(r.address) : ""} | ${attr} | ${pairCells(c)} |`);
    });
  }
  for (const c of stack.settings) lines.push(`| ~ | settings | ${code(c.path)} | ${pairCells(c)} |`);
  lines.push("", "</details>", "");
  return lines.join("\n");
}

function artifactSection(artifacts: readonly ArtifactChange[], full: boolean): string {
  const lines = [
    `<details><summary>Other generated files: ${artifacts.length} changed (rules, dashboards, Ansible variables, schema)</summary>`,
    "",
  ];
  if (!full) {
    lines.push(...artifacts.map((a) => `- ${FILE_SIGN[a.kind]} ${code(a.file)}`), "", "</details>", "");
    return lines.join("\n");
  }
  lines.push("| | file | key | before | after |", "| --- | --- | --- | --- | --- |");
  for (const a of artifacts) {
    if (a.changes.length === 0) lines.push(`| ${FILE_SIGN[a.kind]} | ${code(a.file)} | | | |`);
    a.changes.forEach((c, i) =>
      lines.push(`| ${i === 0 ? FILE_SIGN[a.kind] : ""} | ${i === 0 ? code(a.file) : ""} | ${code(c.path)} | ${pairCells(c)} |`),
    );
    if (a.more > 0) lines.push(`| | | … and ${a.more} more | | |`);
  }
  lines.push("", "</details>", "");
  return lines.join("\n");
}

const MAX_WARNING_ROWS = 40;

function formatMarkdown(review: Review, limit = MARKDOWN_LIMIT): string {
  const head = ["### Shipyard infrastructure diff", ""];
  if (!hasChanges(review)) return `${[...head, `No changes against \`${review.against}\`.`].join("\n")}\n`;
  head.push(`Against \`${review.against}\`: **${summaryLine(summarize(review))}**.`, "");
  const danger = destructive(review);
  if (danger.length > 0) {
    head.push(
      "> [!WARNING]",
      `> **${danger.length} resource(s) will be destroyed or replaced.** Review these first:`,
      ">",
      "> | | stack | address | why |",
      "> | --- | --- | --- | --- |",
    );
    for (const { stack, resource } of danger.slice(0, MAX_WARNING_ROWS))
      head.push(`> | ${SIGN[resource.action]} | ${code(stack)} | ${code(resource.address)} | ${cell(because(resource))} |`);
    if (danger.length > MAX_WARNING_ROWS) head.push(`> | | | … and ${danger.length - MAX_WARNING_ROWS} more | |`);
    head.push("");
  }
  const sections: { name: string; full: string; short: string }[] = review.stacks.map((s) => ({
    name: s.stack,
    full: stackSection(s, true),
    short: stackSection(s, false),
  }));
  if (review.artifacts.length > 0)
    sections.push({
      name: "other generated files",
      full: artifactSection(review.artifacts, true),
      short: artifactSection(review.artifacts, false),
    });
  return capped(head.join("\n"), sections, limit);
}

/** Joins the sections under `limit` characters: whole when they fit, shortened next, left out last, with a note. */
export function capped(head: string, sections: readonly { name: string; full: string; short: string }[], limit: number): string {
  const reserve = 400;
  let out = `${head}\n`;
  const shortened: string[] = [];
  const omitted: string[] = [];
  for (const section of sections) {
    if (out.length + section.full.length + reserve <= limit) out += section.full;
    else if (out.length + section.short.length + reserve <= limit) {
      out += section.short;
      shortened.push(section.name);
    } else omitted.push(section.name);
  }
  if (shortened.length > 0 || omitted.length > 0) {
    const parts = [
      shortened.length ? `rows of ${shortened.length} section(s) left out` : "",
      omitted.length ? `${omitted.length} section(s) not shown (${omitted.slice(0, 5).join(", ")}${omitted.length > 5 ? ", …" : ""})` : "",
    ].filter(Boolean);
    out += `\n> [!NOTE]\n> Truncated to stay under GitHub's 65,536-character limit: ${parts.join("; ")}. The whole diff: \`./shipyard diff --format text\`.\n`;
  }
  return out;
}
