#!/usr/bin/env node
// Assembles the one pull-request comment of a build from the reports of `shipyard diff`, `check` and
// `cost` (files written by ci/pr-review.sh), and the full, uncapped report archived beside it.
//
//   node ci/pr-comment.mjs --dir reports/review --report-url URL [--check-status N]
//
// Writes <dir>/comment.md (what is posted; always under GitHub's 65,536-character limit) and
// <dir>/report.md (everything). The comment starts with MARKER, by which ci/pr-review.sh finds the
// comment of earlier builds and edits it in place.
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export const MARKER = "<!-- shipyard-review -->";
/** GitHub refuses comment bodies over 65,536 characters; keep a margin for the footer. */
export const MAX_COMMENT = 60000;

function read(dir, name) {
  const file = join(dir, name);
  return existsSync(file) ? readFileSync(file, "utf8").trim() : "";
}

const SIGN = { create: "+", update: "~", replace: "-/+", delete: "-", read: "<=", added: "+", removed: "-", changed: "~" };

/** Destroyed and replaced resources, the reason for the warning banner. */
export function destructive(diff) {
  const out = { destroyed: [], replaced: [] };
  for (const stack of diff?.stacks ?? []) {
    for (const r of stack.resources ?? []) {
      if (r.data) continue;
      if (r.action === "delete" || (r.action === undefined && r.kind === "removed")) out.destroyed.push(`${stack.stack}: ${r.address}`);
      else if (r.action === "replace") out.replaced.push(`${stack.stack}: ${r.address}`);
    }
  }
  return out;
}

function stackSection(stack) {
  const rows = (stack.resources ?? []).map((r) => {
    const attributes = r.attributes ?? (r.changes ?? []).map((c) => c.path);
    return `| ${SIGN[r.action ?? r.kind] ?? "~"} | \`${r.address}\` | ${attributes.map((a) => `\`${a}\``).join(", ")} |`;
  });
  for (const s of stack.settings ?? []) rows.push(`| ~ | settings | \`${s}\` |`);
  const n = (stack.resources ?? []).length;
  return [
    `<details><summary><code>${stack.stack}</code> (${stack.kind}, ${n} resource${n === 1 ? "" : "s"})</summary>`,
    "",
    "| | address | attributes |",
    "| --- | --- | --- |",
    ...rows,
    "",
    "</details>",
  ].join("\n");
}

/** Builds { comment, report } from the parsed inputs; pure, so tests call it directly. */
export function buildComment({ diff, diffMarkdown, check, cost, checkStatus, reportUrl, commit }) {
  const { destroyed, replaced } = destructive(diff);
  const head = [MARKER, "## Shipyard review", ""];
  if (commit) head.push(`For commit \`${commit}\`.`, "");
  if (destroyed.length || replaced.length) {
    head.push(
      `> [!WARNING]`,
      `> This change **destroys ${destroyed.length}** and **replaces ${replaced.length}** resource(s). Read the stacks below before approving.`,
      "",
    );
  }
  const s = diff?.summary ?? {};
  const stacks = diff?.stacks ?? [];
  // `shipyard diff --format markdown` is already folded per stack and capped; fall back to our own folding.
  const sections = diffMarkdown ? [diffMarkdown] : stacks.map(stackSection);
  if (!diffMarkdown) {
    head.push(
      "### Infrastructure diff",
      "",
      stacks.length === 0
        ? `No changes against \`${diff?.against ?? "the target branch"}\`.`
        : `${stacks.length} stack(s) differ from \`${diff.against}\`: ${s.create ?? s.added ?? 0} to add, ${s.update ?? s.changed ?? 0} to change, ${s.replace ?? 0} to replace, ${s.delete ?? s.removed ?? 0} to destroy.`,
      "",
    );
  }
  const tail = [
    "",
    `### Policy check ${checkStatus === 0 ? "(passed)" : checkStatus === 1 ? "(findings)" : "(failed to run)"}`,
    "",
    `<details><summary>shipyard check</summary>\n\n${check || "No output."}\n\n</details>`,
    "",
    "### Cost",
    "",
    `<details><summary>shipyard cost (monthly delta)</summary>\n\n${cost || "No output."}\n\n</details>`,
    "",
  ];
  const footer = `Full report: ${reportUrl}`;
  const report = [...head, ...sections, ...tail, footer, ""].join("\n");

  // Cap: drop per-stack sections from the end, then shorten check and cost, until the comment fits.
  let kept = sections.length;
  const compose = (n, t) => {
    const omitted = sections.length - n;
    const note = omitted > 0 ? [diffMarkdown ? "_The diff is too long for a comment: see the full report._" : `_${omitted} more stack(s) not shown: see the full report._`] : [];
    return [...head, ...sections.slice(0, n), ...note, ...t, footer, ""].join("\n");
  };
  const shortTail = ["", "_Policy check and cost reports are too long for a comment: see the full report._", ""];
  let comment = compose(kept, tail);
  if (comment.length > MAX_COMMENT) comment = compose(kept, shortTail);
  while (comment.length > MAX_COMMENT && kept > 0) comment = compose(--kept, shortTail);
  return { comment, report };
}

function main(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, "")] = argv[i + 1];
  const dir = args.dir ?? "reports/review";
  const diffText = read(dir, "diff.json");
  const { comment, report } = buildComment({
    diff: diffText ? JSON.parse(diffText) : undefined,
    diffMarkdown: read(dir, "diff.md"),
    check: read(dir, "check.md"),
    cost: read(dir, "cost.md"),
    checkStatus: Number(args["check-status"] ?? 0),
    reportUrl: args["report-url"] ?? "reports/review/report.md",
    commit: args.commit,
  });
  writeFileSync(join(dir, "comment.md"), comment);
  writeFileSync(join(dir, "report.md"), report);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
