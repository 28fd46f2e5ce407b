import type { StackChange } from "./compare";

export type DiffFormat = "text" | "markdown" | "json";

function counts(changes: readonly StackChange[]) {
  const all = changes.flatMap((c) => c.resources);
  return {
    added: all.filter((r) => r.kind === "added").length,
    removed: all.filter((r) => r.kind === "removed").length,
    changed: all.filter((r) => r.kind === "changed").length,
  };
}

function summary(changes: readonly StackChange[], against: string): string {
  if (changes.length === 0) return `No changes against ${against}.`;
  const c = counts(changes);
  return `${changes.length} stack(s) differ from ${against}: ${c.added} to add, ${c.changed} to change, ${c.removed} to remove.`;
}

const SIGN = { added: "+", removed: "-", changed: "~" } as const;

export function formatDiff(changes: readonly StackChange[], format: DiffFormat, against: string): string {
  if (format === "json") {
    return `${JSON.stringify({ against, summary: counts(changes), stacks: changes }, null, 2)}\n`;
  }
  const lines: string[] = [];
  if (format === "markdown") {
    lines.push("### Shipyard infrastructure diff", "", summary(changes, `\`${against}\``), "");
    for (const stack of changes) {
      lines.push(`#### \`${stack.stack}\` (${stack.kind})`, "", "| | address | attributes |", "| --- | --- | --- |");
      for (const r of stack.resources) {
        lines.push(`| ${SIGN[r.kind]} | \`${r.address}\` | ${r.attributes.map((a) => `\`${a}\``).join(", ")} |`);
      }
      for (const s of stack.settings) lines.push(`| ~ | settings | \`${s}\` |`);
      lines.push("");
    }
    return `${lines.join("\n").trimEnd()}\n`;
  }
  lines.push(summary(changes, against));
  for (const stack of changes) {
    lines.push("", `${SIGN[stack.kind]} stack ${stack.stack}`);
    for (const r of stack.resources) {
      lines.push(`  ${SIGN[r.kind]} ${r.address}${r.attributes.length ? `: ${r.attributes.join(", ")}` : ""}`);
    }
    for (const s of stack.settings) lines.push(`  ~ settings: ${s}`);
  }
  return `${lines.join("\n")}\n`;
}
