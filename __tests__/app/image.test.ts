import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

import { afterEach, describe, expect, it } from "vitest";

import { startApp, stopAll } from "./helpers";

const APP = path.resolve(__dirname, "../../app");
const read = (file: string): string => readFileSync(path.join(APP, file), "utf8");

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(): { keyword: string; args: string }[] {
  return read("Dockerfile")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [keyword = "", ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

describe("app package (installable on its own)", () => {
  const pkg = JSON.parse(read("package.json")) as {
    name: string;
    private: boolean;
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const lock = JSON.parse(read("package-lock.json")) as {
    packages: Record<string, { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
  };

  it("is the private package shipyard-sample-app with a build script", () => {
    expect(pkg.name).toBe("shipyard-sample-app");
    expect(pkg.private).toBe(true);
    expect(pkg.scripts.build).toBe("tsc -p tsconfig.json");
  });

  it("pins every dependency to an exact version, prom-client at run time and TypeScript 5 for the build", () => {
    for (const version of [...Object.values(pkg.dependencies), ...Object.values(pkg.devDependencies)]) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(Object.keys(pkg.dependencies)).toEqual(["prom-client"]);
    expect(pkg.devDependencies.typescript).toMatch(/^5\./);
  });

  it("has a lockfile that matches package.json", () => {
    expect(lock.packages[""]?.dependencies).toEqual(pkg.dependencies);
    expect(lock.packages[""]?.devDependencies).toEqual(pkg.devDependencies);
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect(lock.packages[`node_modules/${name}`]?.version).toBe(version);
    }
  });
});

describe("app Dockerfile", () => {
  const all = instructions();
  const froms = all.filter((i) => i.keyword === "FROM");
  const runtimeStart = all.lastIndexOf(froms.at(-1) as { keyword: string; args: string });
  const runtime = all.slice(runtimeStart);

  it("pins the node 20 base image by digest, in every stage", () => {
    const arg = all.find((i) => i.keyword === "ARG" && i.args.startsWith("NODE_IMAGE="));
    expect(arg?.args).toMatch(/^NODE_IMAGE=node:20-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^\$\{NODE_IMAGE\} AS \w+$/);
  });

  it("compiles in a build stage and takes only production dependencies into the runtime", () => {
    const text = read("Dockerfile");
    expect(text).toContain("RUN npm run build");
    expect(text).toMatch(/npm ci --omit=dev/);
    const copies = runtime.filter((i) => i.keyword === "COPY").map((i) => i.args);
    expect(copies).toContain("--from=build /app/dist ./dist");
    expect(copies).toContain("--from=deps /app/node_modules ./node_modules");
    expect(copies.some((c) => c.includes("src"))).toBe(false);
  });

  it("runs as a numeric non-root user, in production mode, on port 8080", () => {
    const users = runtime.filter((i) => i.keyword === "USER");
    expect(users.at(-1)?.args).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(runtime.some((i) => i.keyword === "ENV" && /NODE_ENV=production/.test(i.args))).toBe(true);
    expect(runtime.find((i) => i.keyword === "EXPOSE")?.args).toBe("8080");
  });

  it("starts node directly (PID 1 gets SIGTERM) and health-checks /healthz with node", () => {
    expect(runtime.find((i) => i.keyword === "ENTRYPOINT")?.args).toBe('["node", "dist/main.js"]');
    expect(runtime.some((i) => i.keyword === "CMD")).toBe(false);
    const healthcheck = runtime.find((i) => i.keyword === "HEALTHCHECK")?.args ?? "";
    expect(healthcheck).toMatch(/CMD \["node", "\/app\/dist\/healthcheck\.js"\]$/);
    expect(read("src/healthcheck.ts")).toContain('path: "/healthz"');
  });

  it("keeps node_modules, dist, tests and .git out of the build context", () => {
    const lines = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    expect(lines[0]).toBe("*");
    const allowed = lines.filter((l) => l.startsWith("!"));
    expect(allowed.sort()).toEqual(["!package-lock.json", "!package.json", "!src/", "!src/**", "!tsconfig.json"]);
  });
});

describe("app container health check script", { timeout: 60_000 }, () => {
  afterEach(stopAll);
  const healthcheck = (port: number) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", path.join(APP, "src", "healthcheck.ts")], {
      cwd: path.resolve(APP, ".."),
      env: { PATH: process.env.PATH ?? "", PORT: String(port) },
    });

  it("exits 0 when /healthz answers 200", async () => {
    const { port } = await startApp();
    await expect(healthcheck(port)).resolves.toBeDefined();
  });

  it("exits 1 when nothing listens", async () => {
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    await expect(healthcheck(port)).rejects.toMatchObject({ code: 1 });
  });
});
