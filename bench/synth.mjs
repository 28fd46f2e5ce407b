#!/usr/bin/env node
// Benchmark: median wall time and peak RSS of synthesizing every environment with `shipyard synth`
// (in-process, transpile-only) beside `npx ts-node main.ts` (how `cdktf init` runs an app: type-checks
// first). Informational only; never part of the tests' pass/fail.
//
//   npm run bench                     5 runs of shipyard, 3 of ts-node
//   npm run bench -- --runs 3 --ts-node-runs 1
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = flag("--runs", 5);
const tsNodeRuns = flag("--ts-node-runs", 3);
const TIME = "/usr/bin/time";

if (!existsSync(TIME)) {
  console.error("bench: GNU time is needed to read peak memory (apt-get install time)");
  process.exit(2);
}

/** Runs a command under GNU time; returns wall seconds and peak RSS in MB. */
function measure(command, env) {
  const result = spawnSync(TIME, ["-f", "%e %M", ...command], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`${command.join(" ")} failed with status ${result.status}`);
  }
  const last = result.stderr.trim().split("\n").pop();
  const [seconds, kilobytes] = last.split(" ").map(Number);
  return { seconds, rssMb: kilobytes / 1024 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function series(name, count, command, env) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    samples.push(measure(command, env));
    process.stderr.write(`  ${name} run ${i + 1}/${count}: ${samples.at(-1).seconds.toFixed(2)} s, ${samples.at(-1).rssMb.toFixed(0)} MB\n`);
  }
  return { name, runs: count, seconds: median(samples.map((s) => s.seconds)), rssMb: Math.max(...samples.map((s) => s.rssMb)) };
}

const scratch = path.join(root, ".cache", "bench");
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });

process.stderr.write("synthesizing every environment…\n");
const shipyard = series("shipyard synth", runs, [process.execPath, "bin/shipyard.js", "synth", "--out", ".cache/bench/shipyard"], { NO_COLOR: "1" });
const tsNode = series("npx ts-node main.ts", tsNodeRuns, ["npx", "--no-install", "ts-node", "main.ts"], {
  // cdktf init's tsconfig compiles to CommonJS; the project's own tsconfig targets the type checker.
  TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: "commonjs", moduleResolution: "node" }),
  CDKTF_OUTDIR: path.join(scratch, "ts-node"),
});
rmSync(scratch, { recursive: true, force: true });

const rows = [shipyard, tsNode].map((r) => `${r.name.padEnd(22)} ${String(r.runs).padStart(4)} ${r.seconds.toFixed(2).padStart(10)} ${r.rssMb.toFixed(0).padStart(12)}`);
console.log(`${"command".padEnd(22)} runs   median s  peak RSS MB`);
console.log(rows.join("\n"));
console.log(`ratio: shipyard synth is ${(tsNode.seconds / shipyard.seconds).toFixed(1)}x faster than ts-node (target >= 5x); peak RSS ${shipyard.rssMb.toFixed(0)} MB (target < 300 MB)`);
