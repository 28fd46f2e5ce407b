import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { request, waitFor } from "./helpers";

const ROOT = path.resolve(__dirname, "../..");
const MAIN = path.join(ROOT, "app", "src", "main.ts");

interface Child {
  readonly proc: ChildProcess;
  /** stdout so far, one parsed JSON object per line (a non-JSON line fails the test). */
  readonly logs: Record<string, unknown>[];
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

afterEach(() => {
  for (const proc of children) if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  children.clear();
});

/** Runs `node --import tsx app/src/main.ts` (what `node dist/main.js` does in the image) with only the given settings. */
function spawnApp(settings: Record<string, string>): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOST: "127.0.0.1", PORT: "0", ...settings },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  const child: Child = {
    proc,
    logs: [],
    stderr: "",
    exited: new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal }))),
  };
  let pending = "";
  proc.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf("\n")) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      child.logs.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  proc.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    child.stderr += chunk;
  });
  return child;
}

/** Waits (generously: a cold tsx start on a busy machine) for the "listening" line; returns the port. */
async function listeningPort(child: Child): Promise<number> {
  await waitFor(() => child.logs.some((line) => line.msg === "listening") || child.proc.exitCode !== null, "the app to listen", 30_000);
  const line = child.logs.find((entry) => entry.msg === "listening");
  if (!line) throw new Error(`the app exited before listening: ${child.stderr}`);
  return line.port as number;
}

describe("app as a process", { timeout: 60_000 }, () => {
  it("on SIGTERM finishes the in-flight request and exits 0 within the grace period", async () => {
    // The pre-stop delay (still serving) also covers the in-flight request reaching the app after the signal.
    const child = spawnApp({ PRESTOP_DELAY_SECONDS: "1", SHUTDOWN_GRACE_SECONDS: "10" });
    const port = await listeningPort(child);
    expect((await request(port, "/healthz")).status).toBe(200);

    const inFlight = request(port, "/api/work?ms=800");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const signalledAt = Date.now();
    child.proc.kill("SIGTERM");

    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ worked_ms: 800 });
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);

    const messages = child.logs.map((line) => line.msg);
    expect(messages).toContain("shutdown started: readiness now fails");
    expect(messages.at(-1)).toBe("shutdown complete");
    expect(child.logs.find((line) => line.msg === "shutdown started: readiness now fails")).toMatchObject({ reason: "SIGTERM" });
    expect(child.stderr).toBe("");
  });

  it("drains the same way on SIGINT (Ctrl-C)", async () => {
    const child = spawnApp({ PRESTOP_DELAY_SECONDS: "0", SHUTDOWN_GRACE_SECONDS: "10" });
    await listeningPort(child);
    child.proc.kill("SIGINT");
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });

  it("exits 1 when requests outlast the grace period", async () => {
    const child = spawnApp({ PRESTOP_DELAY_SECONDS: "0.5", SHUTDOWN_GRACE_SECONDS: "1.5", WORK_MAX_MS: "60000" });
    const port = await listeningPort(child);
    const stuck = request(port, "/api/work?ms=60000");
    stuck.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.proc.kill("SIGTERM");

    expect(await child.exited).toEqual({ code: 1, signal: null });
    await expect(stuck).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(child.logs.at(-1)).toMatchObject({ level: "error", outcome: "deadline" });
  });

  it.each([
    [{ PORT: "nope" }, ['shipyard-sample-app: PORT="nope" is invalid: expected a whole number from 0 to 65535']],
    [
      { ERROR_RATE: "2", LOG_LEVEL: "chatty" },
      [
        'shipyard-sample-app: LOG_LEVEL="chatty" is invalid: expected one of debug, info, warn, error',
        'shipyard-sample-app: ERROR_RATE="2" is invalid: expected a number from 0 to 1 (a share, e.g. 0.05 for 5%)',
      ],
    ],
  ])("refuses invalid settings %j: a clear message on stderr, exit 2, no stack trace", async (settings, lines) => {
    const child = spawnApp(settings);
    expect(await child.exited).toEqual({ code: 2, signal: null });
    expect(child.stderr).toBe(lines.map((line) => `${line}\n`).join(""));
    expect(child.logs).toEqual([]);
  });

  it("exits 1 with a JSON error line when the port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const child = spawnApp({ PORT: String(port) });
      expect(await child.exited).toEqual({ code: 1, signal: null });
      expect(child.logs.at(-1)).toMatchObject({ level: "error", msg: "could not start the server", port });
      expect(String(child.logs.at(-1)?.error)).toContain("EADDRINUSE");
    } finally {
      blocker.close();
    }
  });
});
