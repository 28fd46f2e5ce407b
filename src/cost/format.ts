import type { EnvironmentCost } from "./estimate";

export type CostFormat = "text" | "markdown" | "json";
export const COST_FORMATS: readonly CostFormat[] = ["text", "markdown", "json"];

export interface CostReport {
  readonly envs: readonly EnvironmentCost[];
  /** The baseline's costs, with `--against`. */
  readonly against?: { readonly ref: string; readonly envs: readonly EnvironmentCost[] };
}

export interface ResourceDelta {
  readonly stack: string;
  readonly address: string;
  readonly before: number;
  readonly after: number;
}

export interface EnvironmentDelta {
  readonly env: string;
  readonly before: number;
  readonly after: number;
  readonly resources: readonly ResourceDelta[];
}

const usd = (n: number) =>
  `${n < 0 ? "-" : ""}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const signed = (n: number) => `${n >= 0 ? "+" : "-"}${usd(Math.abs(n))}`;
const qty = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
const percent = (before: number, after: number) =>
  before === 0 ? "" : `, ${after >= before ? "+" : ""}${(((after - before) / before) * 100).toFixed(1)}%`;
const round = (n: number) => Math.round(n * 100) / 100;

/** Per environment: total before and after, and every resource whose monthly cost moved. */
export function deltas(report: CostReport): EnvironmentDelta[] {
  if (!report.against) return [];
  const names = [...new Set([...report.envs.map((e) => e.env), ...report.against.envs.map((e) => e.env)])].sort();
  return names.map((env) => {
    const after = report.envs.find((e) => e.env === env);
    const before = report.against!.envs.find((e) => e.env === env);
    const costs = (e?: EnvironmentCost) =>
      new Map((e?.stacks ?? []).flatMap((s) => s.resources.map((r) => [`${s.stack}\u0000${r.address}`, r.monthly] as const)));
    const a = costs(before);
    const b = costs(after);
    const resources = [...new Set([...a.keys(), ...b.keys()])]
      .sort()
      .map((key) => {
        const [stack, address] = key.split("\u0000") as [string, string];
        return { stack, address, before: a.get(key) ?? 0, after: b.get(key) ?? 0 };
      })
      .filter((r) => round(r.after - r.before) !== 0);
    return { env, before: before?.monthly ?? 0, after: after?.monthly ?? 0, resources };
  });
}

export function formatCost(report: CostReport, format: CostFormat): string {
  if (format === "json") {
    return `${JSON.stringify({ total: round(report.envs.reduce((n, e) => n + e.monthly, 0)), envs: report.envs, ...(report.against ? { against: report.against.ref, delta: deltas(report) } : {}) }, null, 2)}\n`;
  }
  return format === "markdown" ? markdown(report) : text(report);
}

function text(report: CostReport): string {
  const lines: string[] = [];
  const width = 64;
  for (const env of report.envs) {
    lines.push(
      `Project: ${env.env} (${env.region}, prices as of ${env.pricesAsOf})`,
      "",
      ` ${"Name".padEnd(width)} ${"Monthly Qty".padStart(12)}  ${"Unit".padEnd(11)} ${"Monthly Cost".padStart(12)}`,
    );
    for (const stack of env.stacks) {
      lines.push("", ` ${stack.stack}`);
      for (const r of stack.resources) {
        lines.push(`  ${r.address}`);
        r.components.forEach((c, i) => {
          const last = i === r.components.length - 1;
          const name = `  ${last ? "└─" : "├─"} ${c.name}`;
          lines.push(
            ` ${name.slice(0, width).padEnd(width)} ${qty(c.quantity).padStart(12)}  ${c.unit.padEnd(11)} ${usd(c.monthly).padStart(12)}`,
          );
          if (i === 0 && r.commitments) {
            lines.push(
              `   ${last ? "  " : "│ "}   beside on-demand: 1y reserved ${usd(r.commitments.reserved1yNoUpfront)} · 3y reserved ${usd(r.commitments.reserved3yNoUpfront)} · 1y compute savings plan ${usd(r.commitments.computeSavingsPlan1yNoUpfront)}`,
            );
          }
        });
      }
      lines.push(` ${`${stack.stack} subtotal`.padEnd(width + 27)} ${usd(stack.monthly).padStart(12)}`);
    }
    lines.push("", ` ${`OVERALL TOTAL ${env.env}`.padEnd(width + 27)} ${usd(env.monthly).padStart(12)}`, "");
  }
  if (report.envs.length > 1)
    lines.push(
      ` ${"OVERALL TOTAL (all environments)".padEnd(width + 27)} ${usd(report.envs.reduce((n, e) => n + e.monthly, 0)).padStart(12)}`,
      "",
    );
  lines.push("Usage-based lines use the stated assumptions (cost.yaml overrides them); prices and their sources: src/cost/prices/.");
  const d = deltas(report);
  if (report.against) {
    lines.push("", `Monthly cost change against ${report.against.ref}:`);
    for (const env of d) {
      lines.push(
        `  ${env.env}: ${usd(env.before)} → ${usd(env.after)} (${signed(env.after - env.before)}${percent(env.before, env.after)})`,
      );
      for (const r of env.resources)
        lines.push(
          `    ${r.before === 0 ? "+" : r.after === 0 ? "-" : "~"} ${r.stack} ${r.address}: ${usd(r.before)} → ${usd(r.after)} (${signed(r.after - r.before)})`,
        );
    }
  }
  return `${lines.join("\n")}\n`;
}

function markdown(report: CostReport): string {
  const lines = ["### Shipyard monthly cost", ""];
  const d = deltas(report);
  if (report.against) {
    lines.push(`Against \`${report.against.ref}\`:`, "", "| environment | before | after | change |", "| --- | ---: | ---: | ---: |");
    for (const env of d)
      lines.push(
        `| ${env.env} | ${usd(env.before)} | ${usd(env.after)} | ${signed(env.after - env.before)}${percent(env.before, env.after)} |`,
      );
    const moved = d.flatMap((e) => e.resources);
    if (moved.length > 0) {
      lines.push("", "| | stack | resource | before | after | change |", "| --- | --- | --- | ---: | ---: | ---: |");
      for (const r of moved)
        lines.push(
          `| ${r.before === 0 ? "+" : r.after === 0 ? "-" : "~"} | \`${r.stack}\` | \`${r.address}\` | ${usd(r.before)} | ${usd(r.after)} | ${signed(r.after - r.before)} |`,
        );
    }
    lines.push("");
  }
  lines.push("| environment | region | monthly |", "| --- | --- | ---: |");
  for (const env of report.envs) lines.push(`| ${env.env} | ${env.region} | ${usd(env.monthly)} |`);
  lines.push("");
  for (const env of report.envs) {
    lines.push(
      `<details><summary><code>${env.env}</code>: ${usd(env.monthly)} a month (prices as of ${env.pricesAsOf})</summary>`,
      "",
      "| stack | resource | component | quantity | monthly |",
      "| --- | --- | --- | ---: | ---: |",
    );
    for (const stack of env.stacks) {
      for (const r of stack.resources) {
        r.components.forEach((c, i) =>
          lines.push(
            `| ${i === 0 ? `\`${stack.stack}\`` : ""} | ${i === 0 ? `\`${r.address}\`` : ""} | ${c.name} | ${qty(c.quantity)} ${c.unit} | ${usd(c.monthly)} |`,
          ),
        );
        if (r.commitments)
          lines.push(
            `| | | _1y reserved ${usd(r.commitments.reserved1yNoUpfront)} · 3y reserved ${usd(r.commitments.reserved3yNoUpfront)} · 1y savings plan ${usd(r.commitments.computeSavingsPlan1yNoUpfront)}_ | | |`,
          );
      }
      lines.push(`| **${stack.stack}** | | | | **${usd(stack.monthly)}** |`);
    }
    lines.push("", "</details>", "");
  }
  lines.push("_Usage-based lines (data through NAT, logs, stored data) use stated assumptions that `cost.yaml` overrides._");
  return `${lines.join("\n")}\n`;
}
