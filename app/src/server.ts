import http from "node:http";
import type { AddressInfo } from "node:net";

import { createLogger, describeError, type Logger } from "./logger";
import { createMetrics, methodLabel, type Metrics } from "./metrics";
import type { Settings } from "./settings";

/** Route label of every path the router does not know (answered 404). */
export const UNMATCHED_ROUTE = "unmatched";

export interface ServerOptions {
  /** Default: a JSON logger on stdout at `settings.logLevel`. */
  readonly logger?: Logger;
  /** Default: a fresh registry with the default process metrics. */
  readonly metrics?: Metrics;
  /** Source of randomness for `ERROR_RATE`, returning [0, 1). Default: `Math.random`. */
  readonly random?: () => number;
}

/** How a shutdown ended: every connection closed in time, or the grace period ran out. */
export type ShutdownOutcome = "drained" | "deadline";

export interface SampleServer {
  readonly settings: Settings;
  readonly server: http.Server;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** True from the first shutdown call on; `/readyz` then answers 503. */
  readonly draining: boolean;
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /** Binds `settings.host:settings.port`; resolves with the bound address (port 0 picks one). */
  listen(): Promise<AddressInfo>;
  /**
   * Graceful shutdown; idempotent (later calls return the same promise):
   * 1. readiness flips to 503 at once, requests are still served;
   * 2. after `prestopDelaySeconds` the listener closes (no new connections) and idle keep-alive
   *    connections are closed; responses sent from now on carry `Connection: close`;
   * 3. resolves `"drained"` when the last in-flight request has been answered, or `"deadline"` when
   *    `shutdownGraceSeconds` (counted from the call) passed first, after destroying what was left.
   */
  shutdown(reason?: string): Promise<ShutdownOutcome>;
}

interface Context {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly query: URLSearchParams;
}

interface Route {
  readonly path: string;
  readonly methods: readonly string[];
  /** Whether the request lands in the SLO metrics and the info-level request log. */
  readonly recorded: boolean;
  readonly handle: (ctx: Context) => void | Promise<void>;
}

/**
 * Creates the service without binding it. Tests call `listen()` with `port: 0` and drive it with real
 * HTTP requests; `start()` (in `main.ts`'s path) adds signal handling.
 */
export function createServer(settings: Settings, options: ServerOptions = {}): SampleServer {
  const logger = options.logger ?? createLogger({ level: settings.logLevel });
  const metrics = options.metrics ?? createMetrics();
  const random = options.random ?? Math.random;

  let draining = false;
  let inFlight = 0;
  let shutdownPromise: Promise<ShutdownOutcome> | undefined;

  /** Writes a whole response; while draining, asks the client to close the connection after it. */
  const send = (res: http.ServerResponse, status: number, contentType: string, body: string, headers: http.OutgoingHttpHeaders = {}): void => {
    if (res.headersSent || res.destroyed) return;
    const payload = Buffer.from(body, "utf8");
    res.writeHead(status, {
      "Content-Type": contentType,
      "Content-Length": payload.length,
      "Cache-Control": "no-store",
      ...(draining ? { Connection: "close" } : {}),
      ...headers,
    });
    res.end(payload);
  };
  const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers?: http.OutgoingHttpHeaders): void =>
    send(res, status, "application/json; charset=utf-8", JSON.stringify(body), headers);

  /** Answers 500 instead of the real handler for a share `errorRate` of calls; true when it did. */
  const injectedFailure = (ctx: Context): boolean => {
    if (settings.errorRate > 0 && random() < settings.errorRate) {
      sendJson(ctx.res, 500, { error: "injected failure (ERROR_RATE)" });
      return true;
    }
    return false;
  };

  const routes: readonly Route[] = [
    {
      path: "/healthz",
      methods: ["GET", "HEAD"],
      recorded: false,
      // Liveness: the process runs and its event loop answers. Stays 200 while draining, so that the
      // kubelet does not restart a pod that is shutting down on purpose.
      handle: ({ res }) => sendJson(res, 200, { status: "ok" }),
    },
    {
      path: "/readyz",
      methods: ["GET", "HEAD"],
      recorded: false,
      handle: ({ res }) =>
        draining ? sendJson(res, 503, { status: "draining" }) : sendJson(res, 200, { status: "ready" }),
    },
    {
      path: "/metrics",
      methods: ["GET", "HEAD"],
      recorded: false,
      handle: async ({ res }) => {
        const body = await metrics.registry.metrics();
        send(res, 200, metrics.registry.contentType, body);
      },
    },
    {
      path: "/api/hello",
      methods: ["GET", "HEAD"],
      recorded: true,
      handle: (ctx) => {
        if (injectedFailure(ctx)) return;
        sendJson(ctx.res, 200, { message: "hello from shipyard-sample-app" });
      },
    },
    {
      path: "/api/work",
      methods: ["GET", "HEAD"],
      recorded: true,
      // Simulated work of `ms` milliseconds (default 100, at most WORK_MAX_MS), to exercise the
      // latency SLO and the drain on shutdown.
      handle: (ctx) => {
        const raw = ctx.query.get("ms");
        const ms = raw === null ? 100 : /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
        if (!Number.isInteger(ms) || ms > settings.workMaxMs) {
          sendJson(ctx.res, 400, { error: `query parameter ms must be a whole number of milliseconds from 0 to ${settings.workMaxMs}` });
          return;
        }
        if (injectedFailure(ctx)) return;
        return new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            sendJson(ctx.res, 200, { worked_ms: ms });
            resolve();
          }, ms);
          // The client went away: stop working for it.
          ctx.res.once("close", () => {
            clearTimeout(timer);
            resolve();
          });
        });
      },
    },
  ];
  const byPath = new Map(routes.map((route) => [route.path, route]));

  const handleRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const started = process.hrtime.bigint();
    inFlight += 1;

    // Split by hand rather than `new URL(req.url, base)`: `//host/path` must not become a host.
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const path = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = new URLSearchParams(queryAt === -1 ? "" : rawUrl.slice(queryAt + 1));

    const route = byPath.get(path);
    const routeLabel = route ? route.path : UNMATCHED_ROUTE;
    const method = methodLabel(req.method);
    const recorded = route ? route.recorded : true;

    res.once("close", () => {
      inFlight -= 1;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // 499 (nginx's convention): the connection closed before the response was complete, normally
      // because the client went away (or, rarely, because the shutdown deadline destroyed it).
      const code = res.writableFinished ? String(res.statusCode) : "499";
      const fields = { method, route: routeLabel, code: Number(code), duration_ms: Math.round(seconds * 1e6) / 1e3 };
      if (recorded) {
        metrics.observeRequest({ route: routeLabel, method, code }, seconds);
        logger.info("request", fields);
      } else {
        logger.debug("request", fields);
      }
    });

    if (!route) {
      sendJson(res, 404, { error: "not found" });
      return;
    }
    if (!route.methods.includes(req.method ?? "")) {
      sendJson(res, 405, { error: "method not allowed" }, { Allow: route.methods.join(", ") });
      return;
    }
    // A GET body is not expected; drain anything sent so the connection stays usable.
    req.resume();
    Promise.resolve()
      .then(() => route.handle({ req, res, query }))
      .catch((error: unknown) => {
        logger.error("request handler failed", { route: routeLabel, method, error: describeError(error) });
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.destroy();
      });
  };

  const server = http.createServer(handleRequest);
  // Outlive the load balancer's idle timeout (see KEEP_ALIVE_TIMEOUT_SECONDS); headersTimeout must be longer still.
  server.keepAliveTimeout = Math.round(settings.keepAliveTimeoutSeconds * 1000);
  server.headersTimeout = server.keepAliveTimeout + 1000;

  const listen = (): Promise<AddressInfo> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once("error", onError);
      server.listen(settings.port, settings.host, () => {
        server.off("error", onError);
        const address = server.address() as AddressInfo;
        logger.info("listening", { host: address.address, port: address.port });
        resolve(address);
      });
    });

  const shutdown = (reason = "shutdown"): Promise<ShutdownOutcome> => {
    if (shutdownPromise) return shutdownPromise;
    draining = true;
    const startedAt = Date.now();
    logger.info("shutdown started: readiness now fails", {
      reason,
      in_flight: inFlight,
      prestop_delay_seconds: settings.prestopDelaySeconds,
      shutdown_grace_seconds: settings.shutdownGraceSeconds,
    });

    shutdownPromise = new Promise<ShutdownOutcome>((resolve) => {
      let sweep: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (outcome: ShutdownOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(prestop);
        clearTimeout(deadline);
        if (sweep) clearInterval(sweep);
        const fields = { outcome, duration_ms: Date.now() - startedAt };
        if (outcome === "drained") logger.info("shutdown complete", fields);
        else logger.error("shutdown grace period exceeded: remaining connections destroyed", fields);
        resolve(outcome);
      };

      const deadline = setTimeout(() => {
        logger.warn("shutdown deadline reached", { in_flight: inFlight });
        server.closeAllConnections();
        finish("deadline");
      }, settings.shutdownGraceSeconds * 1000);

      const prestop = setTimeout(() => {
        logger.info("closing listener and draining", { in_flight: inFlight });
        // The callback runs once every connection is gone (or at once, with an error, if the server
        // never listened: nothing to drain then either).
        server.close(() => finish("drained"));
        // Keep-alive connections with no request in flight would otherwise hold `close` open until
        // their idle timeout; a request that ends during the drain makes its connection idle again.
        server.closeIdleConnections();
        sweep = setInterval(() => server.closeIdleConnections(), 100);
      }, settings.prestopDelaySeconds * 1000);
    });
    return shutdownPromise;
  };

  return {
    settings,
    server,
    metrics,
    logger,
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    listen,
    shutdown,
  };
}

export interface StartOptions extends ServerOptions {
  /** Called with the exit code when shutdown ends. Default: `process.exit`. */
  readonly exit?: (code: number) => void;
  /** Signals that start a graceful shutdown. Default: SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * Creates the server, binds it, and turns SIGTERM/SIGINT into a graceful shutdown that exits 0 when
 * drained in time and 1 when the grace period ran out. A repeated signal is logged and ignored.
 */
export async function start(settings: Settings, options: StartOptions = {}): Promise<SampleServer> {
  const app = createServer(settings, options);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? (["SIGTERM", "SIGINT"] as const);

  const onSignal = (signal: NodeJS.Signals): void => {
    if (app.draining) {
      app.logger.warn("signal received while already shutting down; ignored", { signal });
      return;
    }
    void app.shutdown(signal).then((outcome) => exit(outcome === "drained" ? 0 : 1));
  };
  for (const signal of signals) process.on(signal, onSignal);

  await app.listen();
  return app;
}
