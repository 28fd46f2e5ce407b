/**
 * A real Prometheus on loopback scraping the real sample service with the generated rules for dev:
 * the metric names the SLO rules and the service dashboard use must be ones the service exports,
 * and every rule must evaluate without error. Everything started here is stopped in afterAll, and
 * by an exit hook if the run dies first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadEnvironments } from "../../src/config";
import { prometheusRuleGroups } from "../../src/stacks/monitoring-props";
import { serviceDashboard } from "../../modules/monitoring";
import { requireTool } from "../support/tools";
import { dashboardQueries, metricNames, substitute } from "../modules/monitoring/queries";

const ROOT = path.resolve(__dirname, "../..");
const dev = loadEnvironments(path.join(ROOT, "environments"), ["dev"])[0]!;
const app = dev.applications[0]!;

const children = new Set<ChildProcess>();
const killAll = (signal: NodeJS.Signals = "SIGKILL") => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
process.once("exit", () => killAll());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

function get(port: number, pathAndQuery: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: pathAndQuery, agent: false, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout GET ${pathAndQuery}`)));
    req.on("error", reject);
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

describe.skipIf(!requireTool("prometheus"))("live Prometheus scraping the sample service with the dev rules", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "shipyard-live-"));
  let appPort = 0;
  let promPort = 0;
  let appProc: ReturnType<typeof start>;
  let promProc: ReturnType<typeof start>;

  const api = async (endpoint: string, params: Record<string, string> = {}) => {
    const { status, body } = await get(promPort, `/api/v1/${endpoint}?${new URLSearchParams(params)}`);
    if (status !== 200) throw new Error(`${endpoint}: HTTP ${status} ${body}`);
    return (JSON.parse(body) as { data: unknown }).data;
  };
  const query = async (expr: string) =>
    (await api("query", { query: expr })) as { result: { metric: Record<string, string>; value: [number, string] }[] };

  beforeAll(async () => {
    appPort = await freePort();
    appProc = start(process.execPath, ["--import", "tsx", "app/src/main.ts"], {
      PORT: String(appPort),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ERROR_RATE: "0.1",
    });
    await waitFor("the sample service", async () => ((await get(appPort, "/readyz")).status === 200 ? true : undefined), 30_000).catch(
      (error) => {
        throw new Error(`${String(error)}\n${appProc.output()}`);
      },
    );

    // The generated rules, every group evaluated each second so that the 5m period group runs too.
    const groups = prometheusRuleGroups(dev).map((g) => ({ ...g, interval: "1s" }));
    writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups }, { lineWidth: 0 }));
    // Labels as the Prometheus Operator sets them for a ServiceMonitor target.
    writeFileSync(
      path.join(dir, "prometheus.yml"),
      stringify({
        global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
        rule_files: ["rules.yaml"],
        scrape_configs: [
          {
            job_name: app.name,
            metrics_path: app.metricsPath,
            static_configs: [
              {
                targets: [`127.0.0.1:${appPort}`],
                labels: { namespace: app.namespace, service: app.name, pod: `${app.name}-0`, container: app.name, endpoint: "http" },
              },
            ],
          },
        ],
      }),
    );
    promPort = await freePort();
    promProc = start(
      "prometheus",
      [
        `--config.file=${path.join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        "--log.level=warn",
      ],
      {},
    );
    await waitFor("Prometheus ready", async () => ((await get(promPort, "/-/ready")).status === 200 ? true : undefined), 30_000).catch(
      (error) => {
        throw new Error(`${String(error)}\n${promProc.output()}`);
      },
    );

    // A bounded burst: 200 requests, 10 at a time, fast and slow ones around the latency threshold.
    const paths = Array.from({ length: 200 }, (_, i) =>
      i % 4 === 0
        ? `/api/work?ms=${i % 8 === 0 ? 5 : Math.round(app.slo.latency.thresholdSeconds * 1000) + 100}`
        : i % 50 === 1
          ? "/nope"
          : "/api/hello",
    );
    const burstDeadline = Date.now() + 60_000;
    for (let i = 0; i < paths.length && Date.now() < burstDeadline; i += 10) {
      await Promise.all(paths.slice(i, i + 10).map((p) => get(appPort, p)));
    }
    // Let at least two scrapes and several rule evaluations happen after the burst.
    await waitFor(
      "the SLO rules to record both error ratios",
      async () => {
        const r = await query('count(slo:sli_error:ratio_rate5m{namespace="payments",service="sample-app"})');
        return r.result[0]?.value[1] === "2" ? true : undefined;
      },
      60_000,
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...children].map(stop));
    children.clear();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it("scrapes the service: target up, with the labels a ServiceMonitor gives it", async () => {
    const r = await query(`up{job="${app.name}"}`);
    expect(r.result).toHaveLength(1);
    expect(r.result[0]!.metric).toMatchObject({ namespace: app.namespace, service: app.name, job: app.name });
    expect(r.result[0]!.value[1]).toBe("1");
  });

  it("has series for every metric name the SLO rules and the service dashboard read", async () => {
    const sloExprs = prometheusRuleGroups(dev)
      .filter((g) => g.name.startsWith("slo-"))
      .flatMap((g) => g.rules.map((r) => r.expr));
    const dashboardExprs = dashboardQueries(serviceDashboard()).map((q) => q.expr);
    const names = [...new Set([...sloExprs, ...dashboardExprs].flatMap(metricNames))].sort();
    expect(names).toEqual(
      expect.arrayContaining([
        "http_requests_total",
        "http_request_duration_seconds_bucket",
        "http_request_duration_seconds_count",
        "process_cpu_seconds_total",
        "slo:error_budget_remaining:ratio",
      ]),
    );
    const missing: string[] = [];
    for (const name of names) {
      const series = (await api("series", { "match[]": name })) as unknown[];
      if (series.length === 0) missing.push(name);
    }
    expect(missing, "metric names without series").toEqual([]);
  });

  it("answers every service dashboard query (variables set to the dev sample service)", async () => {
    const empty: string[] = [];
    for (const q of dashboardQueries(serviceDashboard())) {
      const expr = substitute(q.expr, { __rate_interval: "1m", cluster: "", namespace: app.namespace, service: app.name });
      const r = await query(expr);
      if (r.result.length === 0) empty.push(`${q.where}: ${expr}`);
    }
    expect(empty, "dashboard queries with no result").toEqual([]);
  });

  it("loads every rule and evaluates it without error", async () => {
    const data = (await api("rules")) as { groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[] };
    const expected = prometheusRuleGroups(dev);
    expect(data.groups.map((g) => g.name).sort()).toEqual(expected.map((g) => g.name).sort());
    expect(data.groups.flatMap((g) => g.rules)).toHaveLength(expected.flatMap((g) => g.rules).length);
    const bad = data.groups.flatMap((g) =>
      g.rules.filter((r) => r.health !== "ok" || r.lastError).map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ""}`),
    );
    expect(bad).toEqual([]);
  });

  it("fires the Watchdog, and records a non-zero availability error ratio from the injected 5xx", async () => {
    const alerts = (await api("alerts")) as { alerts: { labels: Record<string, string>; state: string }[] };
    expect(alerts.alerts).toContainEqual(
      expect.objectContaining({ labels: expect.objectContaining({ alertname: "Watchdog", severity: "none" }), state: "firing" }),
    );
    const ratio = await query('slo:sli_error:ratio_rate5m{namespace="payments",service="sample-app",slo="availability"}');
    expect(Number(ratio.result[0]!.value[1])).toBeGreaterThan(0);
    const slow = await query('slo:sli_error:ratio_rate5m{namespace="payments",service="sample-app",slo="latency"}');
    expect(Number(slow.result[0]!.value[1])).toBeGreaterThan(0);
  });
});
