import type { Finding, ShipyardCheck } from "./types";

export type CheckFormat = "text" | "markdown" | "json" | "sarif";
export const CHECK_FORMATS: readonly CheckFormat[] = ["text", "markdown", "json", "sarif"];

export interface CheckReport {
  readonly checks: readonly Pick<ShipyardCheck, "id" | "title">[];
  readonly findings: readonly Finding[];
}

const where = (f: Finding) => [f.stack, f.resource].filter(Boolean).join(" ");

export function formatFindings(report: CheckReport, format: CheckFormat, version = "0.0.0"): string {
  switch (format) {
    case "json":
      return `${JSON.stringify({ checks: report.checks, findings: report.findings }, null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(sarif(report, version), null, 2)}\n`;
    case "markdown":
      return markdown(report);
    default:
      return text(report);
  }
}

function counts(report: CheckReport): string {
  return report.checks.map((c) => `${c.id}: ${report.findings.filter((f) => f.check === c.id).length}`).join(", ");
}

function text(report: CheckReport): string {
  if (report.findings.length === 0) return `No findings (${report.checks.map((c) => c.id).join(", ")}).\n`;
  const lines = [`${report.findings.length} finding(s) (${counts(report)}):`];
  for (const f of report.findings) lines.push(`  ${f.severity.padEnd(7)} ${f.check}  ${where(f) ? `${where(f)}: ` : ""}${f.message}`);
  return `${lines.join("\n")}\n`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function markdown(report: CheckReport): string {
  const lines = ["### Shipyard checks", ""];
  if (report.findings.length === 0) {
    lines.push(`No findings (${report.checks.map((c) => `\`${c.id}\``).join(", ")}).`);
    return `${lines.join("\n")}\n`;
  }
  lines.push(`**${report.findings.length} finding(s)** (${counts(report)}).`, "");
  for (const check of report.checks) {
    const mine = report.findings.filter((f) => f.check === check.id);
    if (mine.length === 0) continue;
    lines.push(
      `<details><summary><code>${check.id}</code>: ${check.title} (${mine.length})</summary>`,
      "",
      "| severity | stack | resource | finding |",
      "| --- | --- | --- | --- |",
    );
    for (const f of mine) {
      const message = f.helpUri ? `[${cell(f.message)}](${f.helpUri})` : cell(f.message);
      lines.push(`| ${f.severity} | ${f.stack ? `\`${f.stack}\`` : ""} | ${f.resource ? `\`${cell(f.resource)}\`` : ""} | ${message} |`);
    }
    lines.push("", "</details>", "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** SARIF 2.1.0 (GitHub code scanning, Jenkins warnings-ng): one run, a rule per check or checkov id. */
export function sarif(report: CheckReport, version: string): Record<string, unknown> {
  const ruleIds = [...new Set([...report.checks.map((c) => c.id), ...report.findings.map(ruleOf)])];
  const titles = new Map(report.checks.map((c) => [c.id, c.title]));
  const messages = new Map(report.findings.map((f) => [ruleOf(f), f]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "shipyard-check",
            version,
            informationUri: "https://github.com/shipyard/shipyard#command-line",
            rules: ruleIds.map((id) => {
              const sample = messages.get(id);
              const text = titles.get(id) ?? sample?.message ?? id;
              return { id, name: id, shortDescription: { text }, ...(sample?.helpUri ? { helpUri: sample.helpUri } : {}) };
            }),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: ruleOf(f),
          ruleIndex: ruleIds.indexOf(ruleOf(f)),
          level: f.severity,
          message: { text: where(f) ? `${where(f)}: ${f.message}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.stack ? `generated/terraform/${f.stack}.tf.json` : "environments" },
                region: { startLine: 1 },
              },
              ...(f.stack ? { logicalLocations: [{ fullyQualifiedName: where(f), kind: "resource" }] } : {}),
            },
          ],
        })),
      },
    ],
  };
}

function ruleOf(f: Finding): string {
  return f.rule ? `${f.check}/${f.rule}` : f.check;
}
