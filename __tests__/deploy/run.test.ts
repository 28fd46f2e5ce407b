import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { dependencyOrder, dependentsOf } from "../../src/deploy/graph";
import { runInOrder } from "../../src/deploy/run";
import { terraform } from "../../src/deploy/terraform";
import { tempDir } from "../support/temp-dirs";

const manifest = new Map(
  [
    ["dev-foundation", []],
    ["dev-network", ["dev-foundation"]],
    ["dev-cluster", ["dev-foundation", "dev-network"]],
    ["prod-foundation", []],
  ].map(([name, dependencies]) => [
    name as string,
    { name: name as string, dependencies: dependencies as string[], workingDirectory: "", synthesizedStackPath: "" },
  ]),
);

describe("stack order", () => {
  it("puts each stack after what it depends on, ties by name", () => {
    expect(dependencyOrder(manifest, new Set(manifest.keys()))).toEqual([
      "dev-foundation",
      "prod-foundation",
      "dev-network",
      "dev-cluster",
    ]);
    expect([...dependentsOf(manifest, ["dev-foundation"])].sort()).toEqual(["dev-cluster", "dev-network"]);
  });

  it("skips what depends on a failure, directly or not, and runs the rest", async () => {
    const ran: string[] = [];
    const outcomes = await runInOrder(
      ["dev-foundation", "prod-foundation", "dev-network", "dev-cluster"],
      new Map([
        ["dev-network", ["dev-foundation"]],
        ["dev-cluster", ["dev-foundation", "dev-network"]],
      ]),
      2,
      async (stack) => {
        ran.push(stack);
        return stack === "dev-foundation" ? "failed" : "applied";
      },
    );
    expect(ran.sort()).toEqual(["dev-foundation", "prod-foundation"]);
    expect(outcomes).toEqual([
      { stack: "dev-foundation", status: "failed" },
      { stack: "prod-foundation", status: "applied" },
      { stack: "dev-network", status: "skipped", because: "dev-foundation failed" },
      { stack: "dev-cluster", status: "skipped", because: "dev-foundation failed" },
    ]);
  });

  it("never runs more than the parallelism at once", async () => {
    let running = 0;
    let most = 0;
    await runInOrder(["a", "b", "c", "d", "e"], new Map(), 2, async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
      return "no-changes";
    });
    expect(most).toBe(2);
  });
});

describe("terraform", () => {
  const saved = process.env.SHIPYARD_TERRAFORM;
  afterEach(() => {
    if (saved === undefined) delete process.env.SHIPYARD_TERRAFORM;
    else process.env.SHIPYARD_TERRAFORM = saved;
  });

  it("logs the command and its output per stack, and passes SIGTERM on as an interrupt", async () => {
    const dir = tempDir("shipyard-tf-signal-");
    const bin = path.join(dir, "terraform");
    writeFileSync(bin, `#!/bin/sh\necho started\ntrap 'echo interrupted; exit 130' INT\nwhile true; do sleep 0.05; done\n`);
    chmodSync(bin, 0o755);
    process.env.SHIPYARD_TERRAFORM = bin;
    let hook: ((signal: NodeJS.Signals) => void) | undefined;
    const log = path.join(dir, "stack.log");
    writeFileSync(log, "");
    const done = terraform({ stack: "s", dir, log }, ["apply"], (h) => {
      hook = h;
      return () => (hook = undefined);
    });
    while (!readFileSync(log, "utf8").includes("started")) await new Promise((r) => setTimeout(r, 20));
    hook!("SIGTERM");
    expect(await done).toBe(130);
    expect(readFileSync(log, "utf8")).toBe("$ terraform apply\nstarted\ninterrupted\n[exit 130]\n");
    expect(hook).toBeUndefined();
  });
});
