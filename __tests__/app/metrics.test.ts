import { afterEach, describe, expect, it } from "vitest";

import { DURATION_BUCKETS } from "../../app/src/metrics";
import { parseExposition, request, startApp, stopAll, waitFor, type Sample } from "./helpers";

afterEach(stopAll);

const REQUESTS = "http_requests_total";
const DURATION = "http_request_duration_seconds";

async function scrape(port: number): Promise<{ text: string; samples: Sample[]; contentType: string | undefined }> {
  const reply = await request(port, "/metrics");
  expect(reply.status).toBe(200);
  return { text: reply.body, samples: parseExposition(reply.body), contentType: reply.headers["content-type"] };
}

function counterValue(samples: Sample[], labels: Record<string, string>): number | undefined {
  return samples.find((s) => s.name === REQUESTS && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe("app metrics (the contract with the monitoring rules and dashboards)", () => {
  it("serves the Prometheus text format", async () => {
    const { port } = await startApp();
    const { contentType } = await scrape(port);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it(`declares ${REQUESTS} as a counter and ${DURATION} as a histogram`, async () => {
    const { port } = await startApp();
    await request(port, "/api/hello");
    const { text } = await scrape(port);
    expect(text).toContain(`# TYPE ${REQUESTS} counter`);
    expect(text).toContain(`# TYPE ${DURATION} histogram`);
  });

  it("counts answered requests by route template, method and status code", async () => {
    const { app, port } = await startApp();
    await request(port, "/api/hello");
    await request(port, "/api/hello?x=1");
    await request(port, "/api/work?ms=1");
    await request(port, "/api/work?ms=bad");
    await request(port, "/api/hello", { method: "DELETE" });
    await request(port, "/no/such/path");
    await waitFor(() => app.inFlight === 0, "requests to be recorded");
    const { samples } = await scrape(port);

    expect(counterValue(samples, { route: "/api/hello", method: "GET", code: "200" })).toBe(2);
    expect(counterValue(samples, { route: "/api/work", method: "GET", code: "200" })).toBe(1);
    expect(counterValue(samples, { route: "/api/work", method: "GET", code: "400" })).toBe(1);
    expect(counterValue(samples, { route: "/api/hello", method: "DELETE", code: "405" })).toBe(1);
    expect(counterValue(samples, { route: "unmatched", method: "GET", code: "404" })).toBe(1);
    for (const sample of samples.filter((s) => s.name === REQUESTS)) {
      expect(Object.keys(sample.labels).sort()).toEqual(["code", "method", "route"]);
    }
  });

  it("records latency in a histogram whose buckets include the SLO thresholds", async () => {
    const { app, port } = await startApp();
    await request(port, "/api/work?ms=60");
    await waitFor(() => app.inFlight === 0, "the request to be recorded");
    const { samples } = await scrape(port);
    const labels = { route: "/api/work", method: "GET", code: "200" };
    const mine = (name: string) => samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

    const buckets = mine(`${DURATION}_bucket`);
    const bounds = buckets.map((s) => s.labels.le);
    for (const threshold of ["0.05", "0.1", "0.25", "0.3", "0.5", "1", "2.5", "5"]) expect(bounds).toContain(threshold);
    expect(bounds).toEqual([...DURATION_BUCKETS.map(String), "+Inf"]);
    for (const bucket of buckets) expect(Object.keys(bucket.labels).sort()).toEqual(["code", "le", "method", "route"]);

    // 60 ms of work: above the 0.05 s bucket, inside the 0.1 s one (generous upper bound: 10 s).
    const count = (le: string) => buckets.find((s) => s.labels.le === le)?.value;
    expect(count("0.05")).toBe(0);
    expect(count("10")).toBe(1);
    expect(count("+Inf")).toBe(1);
    expect(mine(`${DURATION}_count`)[0]?.value).toBe(1);
    expect(mine(`${DURATION}_sum`)[0]?.value).toBeGreaterThanOrEqual(0.05);
  });

  it("does not record the probe and scrape endpoints, so SLO rules need no exclusions", async () => {
    const { app, port } = await startApp();
    await request(port, "/healthz");
    await request(port, "/readyz");
    await request(port, "/metrics");
    await request(port, "/healthz", { method: "POST" });
    await waitFor(() => app.inFlight === 0, "requests to finish");
    const { samples } = await scrape(port);
    const routes = samples.filter((s) => s.name.startsWith("http_request")).map((s) => s.labels.route);
    expect(routes).toEqual([]);
  });

  it("keeps label cardinality bounded whatever clients send", async () => {
    const { app, port } = await startApp();
    for (let i = 0; i < 40; i += 1) {
      await request(port, `/random/${i}/${"x".repeat(i)}`);
      await request(port, `/api/hello?cache-buster=${i}`);
      await request(port, `/api/work?ms=${i % 3}&id=${i}`);
    }
    for (const method of ["PROPFIND", "PURGE", "TRACE", "MKCOL"]) await request(port, "/api/hello", { method });
    await waitFor(() => app.inFlight === 0, "requests to be recorded");
    const { samples } = await scrape(port);
    const series = samples.filter((s) => s.name === REQUESTS);

    expect(new Set(series.map((s) => s.labels.route))).toEqual(new Set(["/api/hello", "/api/work", "unmatched"]));
    expect(new Set(series.map((s) => s.labels.method))).toEqual(new Set(["GET", "OTHER"]));
    expect(counterValue(samples, { route: "unmatched", code: "404" })).toBe(40);
    expect(counterValue(samples, { route: "/api/hello", method: "OTHER", code: "405" })).toBe(4);
    expect(series).toHaveLength(4);
  });

  it("records a request whose client went away first with code 499", async () => {
    const { app, port } = await startApp();
    const http = await import("node:http");
    const req = http.request({ host: "127.0.0.1", port, path: "/api/work?ms=5000", agent: false });
    req.on("error", () => undefined);
    req.end();
    await waitFor(() => app.inFlight === 1, "the request to arrive");
    req.destroy();
    await waitFor(() => app.inFlight === 0, "the abandoned request to be recorded");
    const { samples } = await scrape(port);
    expect(counterValue(samples, { route: "/api/work", method: "GET", code: "499" })).toBe(1);
  });

  it("exports the default process and Node.js metrics", async () => {
    const { port } = await startApp();
    const names = new Set((await scrape(port)).samples.map((s) => s.name));
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_start_time_seconds",
      "nodejs_eventloop_lag_seconds",
      "nodejs_heap_size_used_bytes",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("gives each server its own registry", async () => {
    const first = await startApp();
    const second = await startApp();
    await request(first.port, "/api/hello");
    await waitFor(() => first.app.inFlight === 0, "the request to be recorded");
    expect(counterValue((await scrape(first.port)).samples, { route: "/api/hello" })).toBe(1);
    expect(counterValue((await scrape(second.port)).samples, { route: "/api/hello" })).toBeUndefined();
  });
});
