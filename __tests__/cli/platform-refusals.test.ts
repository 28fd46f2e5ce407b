import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { shipyardAsync as shipyard } from "../support/cli";
import { projectCopy } from "../support/project-copy";

/** Platform-layer bad input through the real command: one clear line per problem, exit 2, no stack trace. */

function projectWith(edit: (prod: string) => string): string {
  const project = projectCopy("shipyard-platform-refusals-");
  const file = path.join(project, "environments", "prod.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return project;
}

describe("shipyard validate refuses platform bad input", () => {
  it.each([
    [
      "a team's alerts routed to another team",
      (t: string) =>
        t.replace("      - team: payments\n        namespaces: [payments]", "      - team: platform\n        namespaces: [payments]"),
      /^environments\/prod\.yaml:\d+:\d+: monitoring\.alerting\.routes\[0\]\.namespaces\[0\]: namespace payments belongs to team payments, so its alerts cannot be routed to platform \(expected namespaces of team platform only\)$/,
    ],
    [
      "an ingress group shared across teams",
      (t: string) =>
        t.replace(
          "\necr:\n",
          '  - name: search\n    namespaces: [search]\n    ingressGroup: payments\n    quota: { requestsCpu: "1", requestsMemory: 1Gi, limitsCpu: "2", limitsMemory: 2Gi, pods: 10 }\n\necr:\n',
        ),
      /^environments\/prod\.yaml:\d+:\d+: teams\[1\]\.ingressGroup: ingress group payments is already team payments's \(expected a group name of this team's own; teams never share an ALB IngressGroup\)$/,
    ],
    [
      "a metrics retention shorter than the SLO period",
      (t: string) =>
        t.replace(
          "monitoring:\n  grafana:",
          'monitoring:\n  prometheus: { retentionDays: 14, storageGiB: 200, cpu: "1", memory: 8Gi, replicas: 2 }\n  grafana:',
        ),
      /^environments\/prod\.yaml:\d+:\d+: monitoring\.prometheus\.retentionDays: 14 days is shorter than the 30-day SLO period .*\(expected at least 30\)$/,
    ],
  ])("%s: exit 2, file, key and expectation", { timeout: 120_000 }, async (_name, edit, message) => {
    const project = projectWith(edit);
    const result = await shipyard(["validate", "--env", "prod"], { cwd: project });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
