import { afterEach, describe, expect, it } from "vitest";

import { request, startApp, stopAll, waitFor } from "./helpers";

afterEach(stopAll);

describe("app endpoints", () => {
  describe("GET /healthz (liveness)", () => {
    it("answers 200 while the process runs", async () => {
      const { port } = await startApp();
      const reply = await request(port, "/healthz");
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ status: "ok" });
      expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(reply.headers["cache-control"]).toBe("no-store");
    });

    it("answers HEAD with the status and no body", async () => {
      const { port } = await startApp();
      const reply = await request(port, "/healthz", { method: "HEAD" });
      expect(reply.status).toBe(200);
      expect(reply.body).toBe("");
    });
  });

  describe("GET /readyz (readiness)", () => {
    it("answers 200 once listening", async () => {
      const { port } = await startApp();
      const reply = await request(port, "/readyz");
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ status: "ready" });
    });
  });

  describe("GET /api/hello", () => {
    it("answers 200 with a JSON greeting", async () => {
      const { port } = await startApp();
      const reply = await request(port, "/api/hello");
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ message: "hello from shipyard-sample-app" });
    });

    it("ignores a query string", async () => {
      const { port } = await startApp();
      expect((await request(port, "/api/hello?name=x")).status).toBe(200);
    });
  });

  describe("GET /api/work?ms=N", () => {
    it("works N milliseconds and says so", async () => {
      const { port } = await startApp();
      const reply = await request(port, "/api/work?ms=30");
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ worked_ms: 30 });
    });

    it("works 100 ms when ms is not given", async () => {
      const { port } = await startApp();
      expect(JSON.parse((await request(port, "/api/work")).body)).toEqual({ worked_ms: 100 });
    });

    it("accepts exactly WORK_MAX_MS", async () => {
      const { port } = await startApp({ workMaxMs: 20 });
      expect((await request(port, "/api/work?ms=20")).status).toBe(200);
    });

    it.each(["abc", "-5", "1.5", "1e3", "", "21", "99999999999", "0x10"])("answers 400 to ms=%j (WORK_MAX_MS=20)", async (ms) => {
      const { port } = await startApp({ workMaxMs: 20 });
      const reply = await request(port, `/api/work?ms=${encodeURIComponent(ms)}`);
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toEqual({
        error: "query parameter ms must be a whole number of milliseconds from 0 to 20",
      });
    });
  });

  describe("ERROR_RATE (failure injection for alert drills)", () => {
    it("never fails at 0", async () => {
      const { port } = await startApp({ errorRate: 0 }, { random: () => 0 });
      expect((await request(port, "/api/hello")).status).toBe(200);
    });

    it("fails every API call at 1", async () => {
      const { port } = await startApp({ errorRate: 1 });
      for (const path of ["/api/hello", "/api/work?ms=1"]) {
        const reply = await request(port, path);
        expect(reply.status).toBe(500);
        expect(JSON.parse(reply.body)).toEqual({ error: "injected failure (ERROR_RATE)" });
      }
    });

    it("fails the share of calls whose random draw falls below the rate", async () => {
      const draws = [0.1, 0.9, 0.29, 0.3];
      const { port } = await startApp({ errorRate: 0.3 }, { random: () => draws.shift() ?? 1 });
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await request(port, "/api/hello")).status);
      expect(statuses).toEqual([500, 200, 500, 200]);
    });

    it("never fails the probes or the scrape, and still answers bad input with 400", async () => {
      const { port } = await startApp({ errorRate: 1 });
      expect((await request(port, "/healthz")).status).toBe(200);
      expect((await request(port, "/readyz")).status).toBe(200);
      expect((await request(port, "/metrics")).status).toBe(200);
      expect((await request(port, "/api/work?ms=nope")).status).toBe(400);
    });
  });

  describe("unknown paths and methods", () => {
    it.each(["/", "/nope", "/api/hello/", "/API/HELLO", "//healthz", "/healthz/../metrics"])("answers 404 to %s", async (path) => {
      const { port } = await startApp();
      const reply = await request(port, path);
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.body)).toEqual({ error: "not found" });
    });

    it("answers 405 with an Allow header to a method a route does not take", async () => {
      const { port } = await startApp();
      const reply = await request(port, "/api/hello", { method: "POST" });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe("GET, HEAD");
    });
  });

  describe("structured logs", () => {
    it("writes one JSON object per request with method, route, code and duration_ms", async () => {
      const { port, logs } = await startApp();
      await request(port, "/api/work?ms=5");
      await waitFor(() => logs.some((entry) => entry.msg === "request"), "the request log line");
      const line = logs.find((entry) => entry.msg === "request");
      expect(line).toMatchObject({ level: "info", method: "GET", route: "/api/work", code: 200 });
      expect(typeof line?.time).toBe("string");
      expect(new Date(line?.time as string).toISOString()).toBe(line?.time);
      expect(line?.duration_ms).toBeGreaterThanOrEqual(0);
    });

    it("logs the route template and never the query string, headers or raw path", async () => {
      const { port, logs } = await startApp();
      await request(port, "/api/hello?token=s3cr3t-value");
      await request(port, "/private/s3cr3t-path");
      await waitFor(() => logs.filter((entry) => entry.msg === "request").length === 2, "two request log lines");
      const text = JSON.stringify(logs);
      expect(text).not.toContain("s3cr3t");
      expect(logs.filter((entry) => entry.msg === "request").map((entry) => entry.route)).toEqual(["/api/hello", "unmatched"]);
    });

    it("logs probe and scrape requests at debug level only", async () => {
      const { port, logs } = await startApp();
      await request(port, "/healthz");
      await request(port, "/readyz");
      await request(port, "/metrics");
      await waitFor(() => logs.filter((entry) => entry.msg === "request").length === 3, "three request log lines");
      const requestLines = logs.filter((entry) => entry.msg === "request");
      expect(requestLines.map((entry) => entry.level)).toEqual(["debug", "debug", "debug"]);
    });
  });
});
