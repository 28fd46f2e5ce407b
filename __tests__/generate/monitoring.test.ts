import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadEnvironments, type EnvironmentConfig } from "../../src/config";
import { alertsTopicArn, monitoringFiles, monitoringGenerator, routingExpectations } from "../../src/generate/monitoring";
import {
  alertmanagerConfig,
  alertmanagerSecretNames,
  alertmanagerTeams,
  prometheusRuleFiles,
  prometheusRuleGroups,
} from "../../src/stacks/monitoring-props";
import { GENERATORS } from "../../src/generate";
import { BURN_RATE_POLICIES, isAlertingRule, type PromtoolTestFile } from "../../modules/monitoring";
import { requireTool } from "../support/tools";

/** Runs a command without blocking the event loop, so that several promtool processes run at once. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}
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

  it("writes rules per concern, their tests, the Alertmanager config and routing expectations per environment, dashboards once", () => {
    const files = Object.keys(monitoringGenerator.generate(envs)).sort();
    const perEnv = (e: EnvironmentConfig) => {
      const apps = e.applications.map((a) => `slo-${a.namespace}-${a.name}`);
      return [
        "alertmanager.yaml",
        "routes.test.txt",
        "rules/platform.yaml",
        "tests/platform.test.yaml",
        ...apps.flatMap((a) => [
          `rules/${a}.yaml`,
          ...["fast-burn", "slow-burn", "budget-erosion"].map((p) => `tests/${a}.${p}.test.yaml`),
        ]),
      ].map((f) => `monitoring/${e.name}/${f}`);
    };
    expect(files).toEqual(
      [
        ...envs.flatMap(perEnv),
        "dashboards/shipyard-capacity.json",
        "dashboards/shipyard-nodes.json",
        "dashboards/shipyard-service.json",
      ].sort(),
    );
  });

  it("splits exactly the rule groups Prometheus gets, each test file loading only the rule file it tests", () => {
    for (const env of envs) {
      expect(prometheusRuleFiles(env).flatMap((f) => f.groups)).toEqual(prometheusRuleGroups(env));
      const files = monitoringFiles(env);
      for (const [rel, content] of Object.entries(files).filter(([rel]) => rel.endsWith(".test.yaml"))) {
        const test = parse(content) as PromtoolTestFile;
        const name = path.basename(rel, ".test.yaml").split(".")[0];
        expect(test.rule_files, rel).toEqual([`../rules/${name}.yaml`]);
      }
    }
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
    expect(alertmanagerSecretNames(byName("prod"))).toEqual([
      "alertmanager-heartbeat",
      "alertmanager-pagerduty",
      "alertmanager-pagerduty-payments",
      "alertmanager-slack",
      "alertmanager-slack-payments",
    ]);
  });

  it("routes every team label the rules carry", () => {
    for (const env of envs) {
      const routed = new Set(alertmanagerTeams(env).map((t) => t.name));
      const withoutAlerting = new Set(env.teams.filter((t) => !t.alerting).map((t) => t.name));
      const labels = new Set(
        prometheusRuleGroups(env)
          .flatMap((g) => g.rules)
          .filter(isAlertingRule)
          .map((a) => a.labels.team),
      );
      for (const team of labels) expect(routed.has(team) || withoutAlerting.has(team), `${env.name}: team ${team} has no route`).toBe(true);
    }
  });

  it("pages the platform team only in prod, and payments only where its config says so", () => {
    const critical = (env: string, team: string) =>
      routingExpectations(byName(env)).find((e) => e.labels.team === team && e.labels.severity === "critical")!.receivers;
    expect(critical("dev", "payments")).toEqual(["slack-payments"]);
    expect(critical("dev", "platform")).toEqual(["slack-platform"]);
    expect(critical("prod", "payments")).toEqual(["pagerduty-payments", "slack-payments"]);
    expect(critical("prod", "platform")).toEqual(["pagerduty-platform", "slack-platform"]);
  });
});

const tmp = mkdtempSync(path.join(tmpdir(), "shipyard-monitoring-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type TestGroup = PromtoolTestFile["tests"][number];

/** Minutes of a Prometheus duration (`90s`, `5m`, `1h30m`, `3d`). */
function minutes(duration: string): number {
  const units: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 1440 };
  return [...duration.matchAll(/(\d+)([smhd])/g)].reduce((sum, [, n, u]) => sum + Number(n) * units[u!]!, 0);
}

/** Minutes an input series covers: samples after the first times the group's interval. */
function covered(values: string, interval: string): number {
  const samples = values.split(" ").reduce((n, part) => n + (part.includes("x") ? Number(part.split("x")[1]) + 1 : 1), 0);
  return (samples - 1) * minutes(interval);
}

/** The longest window an alert reads, its own ranges and those of the recorded series it uses, plus its `for:`. */
function reach(env: EnvironmentConfig, alertname: string): number {
  const rules = prometheusRuleGroups(env).flatMap((g) => g.rules);
  let longest = 0;
  for (const alert of rules.filter(isAlertingRule).filter((a) => a.alert === alertname)) {
    const ranges = [...alert.expr.matchAll(/\[(\w+)\]/g)].map((m) => minutes(m[1]!));
    const recorded = [...alert.expr.matchAll(/slo:sli_error:ratio_rate(\w+)/g)].map((m) => minutes(m[1]!));
    longest = Math.max(longest, Math.max(0, ...ranges, ...recorded) + (alert.for ? minutes(alert.for) : 0));
  }
  return longest;
}

/** Metric names an alert reads; SLO alerts read recorded series computed from the service's HTTP metrics. */
function metricsRead(env: EnvironmentConfig, alertname: string): Set<string> {
  const exprs = prometheusRuleGroups(env)
    .flatMap((g) => g.rules)
    .filter(isAlertingRule)
    .filter((a) => a.alert === alertname)
    .map((a) => a.expr);
  const names = new Set(exprs.flatMap((e) => [...e.matchAll(/[a-zA-Z_:][\w:]*/g)].map((m) => m[0])));
  if ([...names].some((n) => n.startsWith("slo:")))
    ["http_requests_total", "http_request_duration_seconds_bucket", "http_request_duration_seconds_count"].forEach((n) => names.add(n));
  return names;
}

describe.skipIf(!requireTool("promtool"))("promtool on the generated rules", () => {
  const dirs = new Map(envs.map((e) => [e.name, materialise(e, path.join(tmp, "promtool"))] as const));
  const testFiles = (env: string) =>
    readdirSync(path.join(dirs.get(env)!, "tests"))
      .filter((f) => f.endsWith(".test.yaml"))
      .sort();
  const ruleFiles = (env: string) =>
    readdirSync(path.join(dirs.get(env)!, "rules"))
      .sort()
      .map((f) => `rules/${f}`);

  // The broken copy for "the tests bite": every fast-burn page needs a 1000x burn, so its "fires" cases must fail.
  const broken = path.join(tmp, "broken");
  const brokenRules = () => {
    const dev = dirs.get("dev")!;
    const app = byName("dev").applications[0]!;
    const file = `slo-${app.namespace}-${app.name}`;
    mkdirSync(path.join(broken, "rules"), { recursive: true });
    mkdirSync(path.join(broken, "tests"), { recursive: true });
    writeFileSync(
      path.join(broken, "rules", `${file}.yaml`),
      readFileSync(path.join(dev, "rules", `${file}.yaml`), "utf8").replaceAll("(14.4 * ", "(1000 * "),
    );
    writeFileSync(
      path.join(broken, "tests", `${file}.fast-burn.test.yaml`),
      readFileSync(path.join(dev, "tests", `${file}.fast-burn.test.yaml`), "utf8"),
    );
    return `tests/${file}.fast-burn.test.yaml`;
  };

  // Every promtool process of every environment at once (one per test file: promtool runs the files
  // of one invocation one after the other), awaited together.
  const results = new Map<string, { code: number; output: string }>();
  beforeAll(async () => {
    const jobs: [string, Promise<{ code: number; output: string }>][] = [];
    for (const env of envs) {
      const dir = dirs.get(env.name)!;
      jobs.push([`${env.name} check`, run("promtool", ["check", "rules", ...ruleFiles(env.name)], dir)]);
      for (const file of testFiles(env.name)) jobs.push([`${env.name} ${file}`, run("promtool", ["test", "rules", `tests/${file}`], dir)]);
    }
    jobs.push(["broken", run("promtool", ["test", "rules", brokenRules()], broken)]);
    const done = await Promise.all(jobs.map(([, p]) => p));
    jobs.forEach(([key], i) => results.set(key, done[i]!));
  }, 120_000);

  describe.each(envs.map((e) => [e.name, e] as const))("%s", (_, env) => {
    it("promtool check rules: every rule file valid, lint-clean", () => {
      const { code, output } = results.get(`${env.name} check`)!;
      expect(code, output).toBe(0);
      expect(output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(ruleFiles(env.name).length);
    });

    it("promtool test rules: every alert fires when it should and stays quiet otherwise (every test file)", () => {
      expect(testFiles(env.name).length).toBe(1 + 3 * env.applications.length);
      for (const file of testFiles(env.name)) {
        const { code, output } = results.get(`${env.name} ${file}`)!;
        expect(output, file).not.toContain("FAILED");
        expect(code, `${file}\n${output}`).toBe(0);
        expect(output, file).toContain("SUCCESS");
      }
    });

    it("the unit tests cover every alert with a firing and a quiet case, the quiet one over the longest window it reads", () => {
      const dir = dirs.get(env.name)!;
      const groups = testFiles(env.name).flatMap(
        (f) => (parse(readFileSync(path.join(dir, "tests", f), "utf8")) as PromtoolTestFile).tests,
      );
      const cases = groups.flatMap((g: TestGroup) => g.alert_rule_test.map((c) => ({ ...c, group: g })));
      for (const name of new Set(
        prometheusRuleGroups(env)
          .flatMap((g) => g.rules)
          .filter(isAlertingRule)
          .map((a) => a.alert),
      )) {
        expect(
          cases.some((c) => c.alertname === name && c.exp_alerts.length > 0),
          `${name} fires`,
        ).toBe(true);
        if (name === "Watchdog") continue;
        const quiet = cases.filter((c) => c.alertname === name && c.exp_alerts.length === 0);
        expect(quiet.length, `${name} quiet`).toBeGreaterThan(0);
        const needed = reach(env, name);
        for (const c of quiet) {
          expect(minutes(c.eval_time), `${name} quiet at ${c.eval_time} in "${c.group.name}" covers ${needed}m`).toBeGreaterThanOrEqual(
            needed,
          );
          const read = metricsRead(env, name);
          const inputs = c.group.input_series.filter((s) => read.has(s.series.split("{")[0]!));
          expect(inputs.length, `${name}: "${c.group.name}" has input for it`).toBeGreaterThan(0);
          for (const s of inputs)
            expect(
              covered(s.values, c.group.interval),
              `${s.series} in "${c.group.name}" lasts until ${c.eval_time}`,
            ).toBeGreaterThanOrEqual(minutes(c.eval_time));
        }
      }
      // The 3-day ticket is tested over 3 days and its for:, the slow burn over 6h15m (environments with SLOs).
      if (env.applications.length === 0) return;
      const longest = (suffix: string) => Math.max(...cases.filter((c) => c.alertname.endsWith(suffix)).map((c) => minutes(c.eval_time)));
      expect(longest("BudgetErosion")).toBe(3 * 24 * 60 + 60);
      expect(longest("SlowBurn")).toBeGreaterThanOrEqual(6 * 60 + 15);
    });

    it("each test file evaluates at the coarsest interval that still divides the alert's for: and its short window", () => {
      const dir = dirs.get(env.name)!;
      for (const policy of BURN_RATE_POLICIES) {
        const suffix = { FastBurn: "fast-burn", SlowBurn: "slow-burn", BudgetErosion: "budget-erosion" }[policy.suffix];
        for (const file of testFiles(env.name).filter((f) => f.endsWith(`.${suffix}.test.yaml`))) {
          const test = parse(readFileSync(path.join(dir, "tests", file), "utf8")) as PromtoolTestFile;
          const every = minutes(test.evaluation_interval);
          expect(minutes(policy.for) % every, file).toBe(0);
          expect(minutes(policy.shortWindow) / every, file).toBeGreaterThanOrEqual(5);
        }
      }
      const platform = parse(readFileSync(path.join(dir, "tests", "platform.test.yaml"), "utf8")) as PromtoolTestFile;
      expect(platform.evaluation_interval).toBe("1m");
      expect(platform.tests.map((t) => t.name)).toEqual(["platform alerts that must fire", "platform alerts that must stay quiet"]);
    });
  });

  it("promtool test rules fails when a rule is broken (the tests bite)", () => {
    const { code, output } = results.get("broken")!;
    expect(code).not.toBe(0);
    expect(output).toContain("FAILED");
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
      const lines = readFileSync(path.join(dir, "routes.test.txt"), "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("#"));
      // Without applications (tools) there are no per-team SLO routes to test.
      expect(lines.length).toBeGreaterThanOrEqual(env.applications.length > 0 ? 13 : 5);
      for (const line of lines) {
        const [receivers, ...labels] = line.split(" ");
        expect(() => routes(dir, receivers!, labels), line).not.toThrow();
      }
    });

    it("the Watchdog reaches a receiver that really sends: a webhook to the heartbeat URL with a bearer token from a file", () => {
      const config = parse(readFileSync(path.join(dir, "alertmanager.yaml"), "utf8"));
      expect(() => routes(dir, "watchdog-heartbeat", ["alertname=Watchdog", "severity=none", "team=platform"])).not.toThrow();
      expect(config.receivers.find((r: { name: string }) => r.name === "watchdog-heartbeat")).toEqual({
        name: "watchdog-heartbeat",
        webhook_configs: [
          {
            url: `https://heartbeat.shipyard.example.com/ping/${env.name}-watchdog`,
            send_resolved: false,
            http_config: { authorization: { type: "Bearer", credentials_file: "/etc/alertmanager/secrets/alertmanager-heartbeat/token" } },
          },
        ],
      });
      expect(alertmanagerSecretNames(env)).toContain("alertmanager-heartbeat");
      expect(env.secrets.items.find((s) => s.name === "alertmanager-heartbeat")?.keys).toEqual(["token"]);
    });

    it("amtool config routes test fails on a wrong expectation (the check bites)", () => {
      expect(() => routes(dir, "slack-payments", ["severity=ticket", "team=payments"])).toThrow();
    });
  });

  it.each([
    // Hand-written, independent of the generator's own expectations.
    [
      "dev",
      "slack-payments",
      ["alertname=SLOAvailabilityFastBurn", "severity=critical", "team=payments", "namespace=payments", "service=sample-app"],
    ],
    ["dev", "slack-platform", ["alertname=KubeNodeNotReady", "severity=critical", "team=platform"]],
    ["dev", "sns-tickets", ["alertname=SLOLatencyBudgetErosion", "severity=ticket", "team=payments"]],
    ["dev", "watchdog-heartbeat", ["alertname=Watchdog", "severity=none", "team=platform"]],
    ["staging", "slack-payments", ["alertname=KubePodCrashLooping", "severity=warning", "team=payments"]],
    ["prod", "pagerduty-payments,slack-payments", ["alertname=SLOAvailabilityFastBurn", "severity=critical", "team=payments"]],
    ["prod", "pagerduty-platform,slack-platform", ["alertname=PrometheusRuleEvaluationFailures", "severity=critical", "team=platform"]],
    ["prod", "slack-platform", ["alertname=KubeNodeNotReady", "severity=warning", "team=platform"]],
    ["prod", "sns-tickets", ["alertname=SLOAvailabilityBudgetErosion", "severity=ticket", "team=payments"]],
    ["prod", "slack-platform", ["alertname=Mystery"]],
    // The extra route: an HPA at its maximum in payments reaches payments, whatever its team label.
    ["prod", "slack-payments", ["alertname=KubeHpaMaxedOut", "severity=warning", "team=platform", "namespace=payments"]],
    ["staging", "slack-payments", ["alertname=KubeHpaMaxedOut", "severity=warning", "team=platform", "namespace=payments"]],
    ["prod", "slack-platform", ["alertname=KubeHpaMaxedOut", "severity=warning", "team=platform", "namespace=kube-system"]],
    ["prod", "slack-platform", ["alertname=KubePodCrashLooping", "severity=warning", "team=platform", "namespace=payments-x"]],
  ])("%s: %s for %j", (env, receivers, labels) => {
    const dir = materialise(byName(env), path.join(tmp, "amtool-hand"));
    expect(() => routes(dir, receivers, labels)).not.toThrow();
  });
});
