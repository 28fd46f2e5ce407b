import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadEnvironments, type EnvironmentConfig } from "../../src/config";
import {
  alertmanagerConfig,
  alertmanagerSecretNames,
  alertmanagerTeams,
  alertsTopicArn,
  monitoringFiles,
  monitoringGenerator,
  prometheusRuleGroups,
  routingExpectations,
} from "../../src/generate/monitoring";
import { GENERATORS } from "../../src/generate";
import { isAlertingRule } from "../../modules/monitoring";
import { requireTool } from "../support/tools";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const envs = loadEnvironments(path.join(ROOT, "environments"));
const byName = (name: string) => envs.find((e) => e.name === name)!;

/** Writes one environment's files to a temporary folder, as the generator lays them out. */
function materialise(env: EnvironmentConfig, dir: string): string {
  const files = monitoringFiles(env);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return path.join(dir, "monitoring", env.name);
}

describe("monitoring generator", () => {
  it("is registered and owns monitoring/ and dashboards/", () => {
    expect(GENERATORS).toContain(monitoringGenerator);
    expect(monitoringGenerator.owns).toEqual(["monitoring", "dashboards"]);
  });

  it("writes rules, their tests, the Alertmanager config and routing expectations per environment, dashboards once", () => {
    const files = Object.keys(monitoringGenerator.generate(envs)).sort();
    expect(files).toEqual(
      [
        ...envs.flatMap((e) => ["alertmanager.yaml", "routes.test.txt", "rules.long.test.yaml", "rules.test.yaml", "rules.yaml"].map((f) => `monitoring/${e.name}/${f}`)),
        "dashboards/shipyard-capacity.json",
        "dashboards/shipyard-nodes.json",
        "dashboards/shipyard-service.json",
      ].sort(),
    );
  });

  it("is deterministic and matches the committed generated/ files", () => {
    const first = monitoringGenerator.generate(envs);
    expect(monitoringGenerator.generate(envs)).toEqual(first);
    for (const [rel, content] of Object.entries(first)) {
      expect(readFileSync(path.join(ROOT, "generated", rel), "utf8"), `generated/${rel} is stale: run shipyard snapshot`).toBe(content);
      expect(content).not.toMatch(/\/work\/|\/home\/|\/Users\//);
    }
  });

  it("addresses tickets to the topic the foundation stack creates, shipyard-<env>-alerts", () => {
    expect(alertsTopicArn(byName("prod"))).toBe("arn:aws:sns:eu-west-1:333333333333:shipyard-prod-alerts");
    const config = parse(monitoringFiles(byName("dev"))["monitoring/dev/alertmanager.yaml"]!);
    expect(config.receivers.find((r: { name: string }) => r.name === "sns-tickets").sns_configs[0]).toMatchObject({
      topic_arn: "arn:aws:sns:eu-west-1:111111111111:shipyard-dev-alerts",
      sigv4: { region: "eu-west-1" },
    });
  });

  it("exports what the Helm release needs: rule groups, config with a Terraform token, secrets to mount", () => {
    const groups = prometheusRuleGroups(byName("prod"));
    expect(groups.map((g) => g.name)).toContain("slo-payments-sample-app");
    const token = "${aws_sns_topic.alerts.arn}";
    expect(JSON.stringify(alertmanagerConfig(byName("prod"), token))).toContain(token);
    expect(alertmanagerSecretNames(byName("prod"))).toEqual(["alertmanager-pagerduty", "alertmanager-slack"]);
  });

  it("routes every team label the rules carry", () => {
    for (const env of envs) {
      const routed = new Set(alertmanagerTeams(env).map((t) => t.name));
      const withoutAlerting = new Set(env.teams.filter((t) => !t.alerting).map((t) => t.name));
      const labels = new Set(prometheusRuleGroups(env).flatMap((g) => g.rules).filter(isAlertingRule).map((a) => a.labels.team));
      for (const team of labels) expect(routed.has(team) || withoutAlerting.has(team), `${env.name}: team ${team} has no route`).toBe(true);
    }
  });

  it("pages the platform team only in prod, and payments only where its config says so", () => {
    const critical = (env: string, team: string) => routingExpectations(byName(env)).find((e) => e.labels.team === team && e.labels.severity === "critical")!.receivers;
    expect(critical("dev", "payments")).toEqual(["slack-payments"]);
    expect(critical("dev", "platform")).toEqual(["slack-platform"]);
    expect(critical("prod", "payments")).toEqual(["pagerduty-payments", "slack-payments"]);
    expect(critical("prod", "platform")).toEqual(["pagerduty-platform", "slack-platform"]);
  });
});

const tmp = mkdtempSync(path.join(tmpdir(), "shipyard-monitoring-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!requireTool("promtool"))("promtool on the generated rules", () => {
  describe.concurrent.each(envs.map((e) => [e.name, e] as const))("%s", (_, env) => {
    const dir = materialise(env, path.join(tmp, "promtool"));

    it("promtool check rules: valid, lint-clean", async () => {
      const { stdout } = await run("promtool", ["check", "rules", "rules.yaml"], { cwd: dir });
      expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
    });

    it("promtool test rules: every alert fires when it should and stays quiet otherwise", async () => {
      const { stdout, stderr } = await run("promtool", ["test", "rules", "rules.test.yaml", "rules.long.test.yaml"], { cwd: dir, maxBuffer: 1 << 24 });
      expect(stdout + stderr).not.toContain("FAILED");
      expect(stdout.match(/SUCCESS/g)).toHaveLength(2);
    }, 300_000);

    it("the unit tests cover every alert with a firing and a quiet case, over the longest window", () => {
      const short = parse(readFileSync(path.join(dir, "rules.test.yaml"), "utf8"));
      const long = parse(readFileSync(path.join(dir, "rules.long.test.yaml"), "utf8"));
      const cases = [...short.tests, ...long.tests].flatMap((t: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }) => t.alert_rule_test);
      for (const name of new Set(prometheusRuleGroups(env).flatMap((g) => g.rules).filter(isAlertingRule).map((a) => a.alert))) {
        expect(cases.some((c: { alertname: string; exp_alerts: unknown[] }) => c.alertname === name && c.exp_alerts.length > 0), `${name} fires`).toBe(true);
        if (name !== "Watchdog") expect(cases.some((c: { alertname: string; exp_alerts: unknown[] }) => c.alertname === name && c.exp_alerts.length === 0), `${name} quiet`).toBe(true);
      }
      const ticket = long.tests.filter((t: { alert_rule_test: { alertname: string }[] }) => t.alert_rule_test.some((c) => c.alertname.endsWith("BudgetErosion")));
      expect(ticket.length).toBeGreaterThan(0);
      for (const t of ticket) {
        expect(t.interval).toBe("30m");
        expect(t.alert_rule_test.every((c: { eval_time: string }) => c.eval_time === "4320m")).toBe(true);
        for (const s of t.input_series) {
          const samples = (s.values as string).split(" ").reduce((n, part) => n + (part.includes("x") ? Number(part.split("x")[1]) + 1 : 1), 0);
          expect(samples).toBe(4320 / 30 + 1); // 3 days of 30-minute samples
        }
      }
    });

    it.runIf(env.name === "dev")("promtool test rules fails when a rule is broken (the tests bite)", async () => {
      const broken = path.join(tmp, `broken-${env.name}`);
      mkdirSync(broken, { recursive: true });
      // Make every fast-burn page need a 1000x burn: its "fires" cases must now fail.
      writeFileSync(path.join(broken, "rules.yaml"), readFileSync(path.join(dir, "rules.yaml"), "utf8").replaceAll("(14.4 * ", "(1000 * "));
      const tests = parse(readFileSync(path.join(dir, "rules.test.yaml"), "utf8"));
      tests.tests = tests.tests.filter((t: { name: string }) => t.name.includes("fast burn"));
      writeFileSync(path.join(broken, "rules.test.yaml"), JSON.stringify(tests));
      await expect(run("promtool", ["test", "rules", "rules.test.yaml"], { cwd: broken })).rejects.toMatchObject({ stderr: expect.stringContaining("FAILED") });
    }, 120_000);
  });
});

describe.skipIf(!requireTool("amtool"))("amtool on the generated Alertmanager configuration", () => {
  const amtool = (args: string[], cwd: string) => execFileSync("amtool", args, { cwd, encoding: "utf8", stdio: "pipe" });
  const routes = (cwd: string, receivers: string, labels: string[]) =>
    amtool(["config", "routes", "test", "--config.file=alertmanager.yaml", `--verify.receivers=${receivers}`, ...labels], cwd);

  describe.each(envs.map((e) => [e.name, e] as const))("%s", (_, env) => {
    const dir = materialise(env, path.join(tmp, "amtool"));

    it("amtool check-config accepts it", () => {
      expect(amtool(["check-config", "alertmanager.yaml"], dir)).toContain("SUCCESS");
    });

    it("amtool config routes test: each severity and team reaches the expected receivers (routes.test.txt)", () => {
      const lines = readFileSync(path.join(dir, "routes.test.txt"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
      expect(lines.length).toBeGreaterThanOrEqual(13);
      for (const line of lines) {
        const [receivers, ...labels] = line.split(" ");
        expect(() => routes(dir, receivers!, labels), line).not.toThrow();
      }
    });

    it("amtool config routes test fails on a wrong expectation (the check bites)", () => {
      expect(() => routes(dir, "slack-payments", ["severity=ticket", "team=payments"])).toThrow();
    });
  });

  it.each([
    // Hand-written, independent of the generator's own expectations.
    ["dev", "slack-payments", ["alertname=SLOAvailabilityFastBurn", "severity=critical", "team=payments", "namespace=payments", "service=sample-app"]],
    ["dev", "slack-platform", ["alertname=KubeNodeNotReady", "severity=critical", "team=platform"]],
    ["dev", "sns-tickets", ["alertname=SLOLatencyBudgetErosion", "severity=ticket", "team=payments"]],
    ["dev", "watchdog-heartbeat", ["alertname=Watchdog", "severity=none", "team=platform"]],
    ["staging", "slack-payments", ["alertname=KubePodCrashLooping", "severity=warning", "team=payments"]],
    ["prod", "pagerduty-payments,slack-payments", ["alertname=SLOAvailabilityFastBurn", "severity=critical", "team=payments"]],
    ["prod", "pagerduty-platform,slack-platform", ["alertname=PrometheusRuleEvaluationFailures", "severity=critical", "team=platform"]],
    ["prod", "slack-platform", ["alertname=KubeNodeNotReady", "severity=warning", "team=platform"]],
    ["prod", "sns-tickets", ["alertname=SLOAvailabilityBudgetErosion", "severity=ticket", "team=payments"]],
    ["prod", "slack-platform", ["alertname=Mystery"]],
  ])("%s: %s for %j", (env, receivers, labels) => {
    const dir = materialise(byName(env), path.join(tmp, "amtool-hand"));
    expect(() => routes(dir, receivers, labels)).not.toThrow();
  });
});
