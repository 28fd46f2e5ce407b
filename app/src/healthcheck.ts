/**
 * Container health check (`HEALTHCHECK CMD ["node", "dist/healthcheck.js"]`): exits 0 when `/healthz`
 * on this container answers 200 within two seconds, 1 otherwise. Slim and distroless images have no
 * curl or wget, hence a script run by node. Kubernetes ignores HEALTHCHECK and uses its own probes.
 */
import http from "node:http";

const port = Number(process.env.PORT ?? "") || 8080;

const request = http.get({ host: "127.0.0.1", port, path: "/healthz", timeout: 2000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
request.on("timeout", () => request.destroy(new Error("timed out")));
request.on("error", () => process.exit(1));
