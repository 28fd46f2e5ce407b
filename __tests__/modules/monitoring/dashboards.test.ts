import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { dashboards } from "../../../modules/monitoring";
import { requireTool } from "../../support/tools";
import { dashboardQueries, substitute } from "./queries";

describe("dashboards", () => {
  const all = dashboards();

  it("have stable uids and are deterministic", () => {
    expect(all.map((d) => d.uid)).toEqual(["shipyard-service", "shipyard-capacity", "shipyard-nodes"]);
    expect(JSON.stringify(dashboards())).toBe(JSON.stringify(all));
  });

  it("template the data source, cluster and their scope; every query reads $datasource", () => {
    const names = (uid: string) => all.find((d) => d.uid === uid)!.templating.list.map((v) => v.name);
    expect(names("shipyard-service")).toEqual(["datasource", "cluster", "namespace", "service"]);
    expect(names("shipyard-capacity")).toEqual(["datasource", "cluster", "nodegroup", "namespace"]);
    expect(names("shipyard-nodes")).toEqual(["datasource", "cluster", "nodegroup", "node"]);
    for (const d of all) {
      for (const panel of d.panels.filter((p) => p.type !== "row")) {
        expect(panel.datasource, `${d.uid} ${panel.title}`).toEqual({ type: "prometheus", uid: "${datasource}" });
        for (const t of panel.targets as { datasource: unknown; expr: string }[]) {
          expect(t.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
          expect(t.expr, `${d.uid} ${panel.title}`).toContain('cluster="$cluster"');
        }
      }
    }
  });

  it("lay panels out on the 24-column grid with unique ids", () => {
    for (const d of all) {
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of d.panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
  });

  it("show the SLO error budget remaining and burn rate, and capacity per node group and capacity type", () => {
    const text = JSON.stringify(all);
    expect(text).toContain("slo:error_budget_remaining:ratio");
    expect(text).toContain("slo:error_budget:ratio");
    expect(text).toContain("label_eks_amazonaws_com_nodegroup");
    expect(text).toContain('label_eks_amazonaws_com_capacity_type=\\"SPOT\\"');
    expect(text).toContain("kube_node_status_allocatable");
  });

  describe.skipIf(!requireTool("promtool"))("every query parses (promtool, Grafana variables substituted)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "shipyard-dashboards-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("promtool check rules accepts every query wrapped as a recording rule", () => {
      const queries = all.flatMap(dashboardQueries);
      expect(queries.length).toBeGreaterThan(40);
      const file = path.join(dir, "queries.yaml");
      const rules = queries.map((q, i) => ({ record: `dashboard:query:${i}`, expr: substitute(q.expr), labels: { where: q.where } }));
      writeFileSync(file, stringify({ groups: [{ name: "dashboard-queries", rules }] }, { lineWidth: 0 }));
      let output = "";
      try {
        output = execFileSync("promtool", ["check", "rules", file], { encoding: "utf8", stdio: "pipe" });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        throw new Error(`promtool refused a dashboard query:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
      }
      expect(output).toContain(`SUCCESS: ${queries.length} rules found`);
    });

    it("and refuses a broken one (the check is real)", () => {
      const file = path.join(dir, "broken.yaml");
      writeFileSync(
        file,
        stringify({ groups: [{ name: "broken", rules: [{ record: "x:y", expr: substitute("sum by (le (rate(x[$__rate_interval]))") }] }] }),
      );
      expect(() => execFileSync("promtool", ["check", "rules", file], { stdio: "pipe" })).toThrow();
    });
  });
});
