import http from "node:http";

import { createLogger } from "../../app/src/logger";
import { createServer, type SampleServer, type ServerOptions } from "../../app/src/server";
import { DEFAULT_SETTINGS, type Settings } from "../../app/src/settings";

/** Settings for an in-process server: loopback, a free port, no pre-stop delay, short grace. */
export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, host: "127.0.0.1", port: 0, prestopDelaySeconds: 0, shutdownGraceSeconds: 5, ...overrides };
}

export interface Running {
  readonly app: SampleServer;
  readonly port: number;
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
}

const running = new Set<SampleServer>();

/** Starts a server on a free loopback port, with its log captured instead of printed. */
export async function startApp(overrides: Partial<Settings> = {}, options: ServerOptions = {}): Promise<Running> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "debug", write: (line) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const app = createServer(testSettings(overrides), { logger, ...options });
  const { port } = await app.listen();
  running.add(app);
  return { app, port, logs };
}

/** Shuts down every server `startApp` started (for `afterEach`). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((app) => app.shutdown("test finished")));
  running.clear();
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP request; a fresh connection unless an agent is given. */
export function request(port: number, path: string, options: { method?: string; agent?: http.Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Polls `condition` every 10 ms; fails after `timeoutMs` (a generous bound, not a timing assertion). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the samples of a Prometheus text exposition (comments skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] as string] = pair[2] as string;
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}
