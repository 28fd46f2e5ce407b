#!/usr/bin/env node
// Benchmark: median wall time and peak RSS of synthesizing every environment with the README's command
// (`./shipyard synth`: the CLI in-process, from a cached bundle) beside `npx cdktf synth` of the same app
// (cdktf.json runs main.ts with tsx) and `npx ts-node main.ts` (how `cdktf init` runs an app: type-checks
// first). With --scale it adds how synthesis grows: environments (1/10/30/60 copies of staging, generated
// into a temporary project folder) and applications (staging with 0/10/50/100 more). Informational only:
// never part of the tests' pass/fail, and its exit status says only whether every command ran.
//
//   npm run bench                           5 runs of shipyard, 3 of cdktf and ts-node
//   npm run bench -- --runs 3 --slow-runs 1
//   npm run bench -- --scale                the series too (3 runs per point; --scale-runs N)
//   npm run bench -- --scale --only-scale   the series alone
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { environmentCopies, withExtraApplications, writeProject } from "./scale.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const runs = option("--runs", 5);
const slowRuns = option("--slow-runs", option("--ts-node-runs", 3));
const scaleRuns = option("--scale-runs", 3);
const scale = args.includes("--scale");
const onlyScale = args.includes("--only-scale");
const TIME = "/usr/bin/time";
/** The README's command: `./shipyard <command>` (see the file `shipyard`). */
const SHIPYARD = path.join(root, "shipyard");

if (!existsSync(TIME)) {
  console.error("bench: GNU time is needed to read peak memory (apt-get install time)");
  process.exit(2);
}

// Synthesis needs no terraform (a cloud backend must not make CDKTF ask for its version), no network and
// no telemetry: the same conditions for every command.
const quiet = { NO_COLOR: "1", CHECKPOINT_DISABLE: "1", CI: "1", DISABLE_VERSION_CHECK: "1" };

/** Runs a command under GNU time in `cwd`; returns wall seconds, CPU seconds and peak RSS in MB. */
function measure(command, { cwd = root, env = {} } = {}) {
  const result = spawnSync(TIME, ["-f", "%e %U %S %M", ...command], { cwd, env: { ...process.env, ...quiet, ...env }, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`${command.join(" ")} failed with status ${result.status}`);
  }
  const [seconds, user, system, kilobytes] = result.stderr.trim().split("\n").pop().split(" ").map(Number);
  return { seconds, cpu: user + system, rssMb: kilobytes / 1024 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summary(name, samples) {
  return {
    name,
    runs: samples.length,
    seconds: median(samples.map((s) => s.seconds)),
    cpu: median(samples.map((s) => s.cpu)),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
  };
}

/**
 * Measures the cases interleaved (a, b, c, a, b, c …), so a burst of load elsewhere on the machine
 * spreads over all of them instead of skewing one. One untimed run of each first warms the disk cache and
 * the CLI bundle.
 */
function interleaved(cases, count) {
  for (const c of cases) measure(c.command, c);
  const samples = cases.map(() => []);
  for (let i = 0; i < count; i++) {
    cases.forEach((c, j) => {
      if (i >= (c.runs ?? count)) return;
      const s = measure(c.command, c);
      samples[j].push(s);
      process.stderr.write(`  ${c.name} run ${i + 1}: ${s.seconds.toFixed(2)} s, ${s.rssMb.toFixed(0)} MB\n`);
    });
  }
  return cases.map((c, j) => summary(c.name, samples[j]));
}

function table(rows, label = "command") {
  const width = Math.max(label.length, ...rows.map((r) => r.name.length)) + 2;
  const lines = [`${label.padEnd(width)} runs   median s   median CPU s  peak RSS MB`];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(width)} ${String(r.runs).padStart(4)} ${r.seconds.toFixed(2).padStart(10)} ${r.cpu.toFixed(2).padStart(14)} ${r.rssMb.toFixed(0).padStart(12)}`,
    );
  }
  return lines.join("\n");
}

const verdict = (ok) => (ok ? "ok" : "MISSED");
const scratch = mkdtempSync(path.join(tmpdir(), "shipyard-bench-"));
try {
  if (!onlyScale) {
    process.stderr.write("synthesizing every environment…\n");
    const rows = interleaved(
      [
        { name: "./shipyard synth", command: [SHIPYARD, "synth", "--out", ".cache/bench/shipyard"] },
        {
          name: "npx cdktf synth",
          command: ["npx", "--no-install", "cdktf", "synth", "--output", ".cache/bench/cdktf"],
          env: { SHIPYARD_OUTDIR: ".cache/bench/cdktf" },
          runs: slowRuns,
        },
        {
          name: "npx ts-node main.ts",
          command: ["npx", "--no-install", "ts-node", "main.ts"],
          // cdktf init's tsconfig compiles to CommonJS; the project's own tsconfig targets the type checker.
          env: {
            TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: "commonjs", moduleResolution: "node" }),
            CDKTF_OUTDIR: path.join(scratch, "ts-node"),
          },
          runs: slowRuns,
        },
      ],
      runs,
    );
    rmSync(path.join(root, ".cache", "bench"), { recursive: true, force: true });
    const [shipyard, cdktf, tsNode] = rows;
    console.log(table(rows));
    console.log(
      `ratio: ./shipyard synth is ${(tsNode.seconds / shipyard.seconds).toFixed(1)}x faster than ts-node (target >= 5x: ${verdict(tsNode.seconds >= 5 * shipyard.seconds)}; in CPU time ${(tsNode.cpu / shipyard.cpu).toFixed(1)}x) ` +
        `and ${(cdktf.seconds / shipyard.seconds).toFixed(1)}x faster than npx cdktf synth; peak RSS ${shipyard.rssMb.toFixed(0)} MB (target < 300 MB: ${verdict(shipyard.rssMb < 300)})`,
    );
  }

  if (scale) {
    const staging = readFileSync(path.join(root, "environments", "staging.yaml"), "utf8");
    const project = (name, files) => writeProject(path.join(scratch, name), root, files);
    // --local-state: the generated environments share staging's Terraform Cloud settings; the series
    // measures synthesis, not backends.
    const synthIn = (name, files) => ({ name, cwd: project(name, files), command: [SHIPYARD, "synth", "--local-state"] });

    process.stderr.write("environment series…\n");
    const envCounts = [1, 10, 30, 60];
    const envRows = interleaved(
      envCounts.map((n) => synthIn(`${n} environments`, environmentCopies(staging, n))),
      scaleRuns,
    );
    console.log(`\n${table(envRows, "environments (copies of staging)")}`);
    const envSlope = (envRows.at(-1).seconds - envRows[0].seconds) / (envCounts.at(-1) - envCounts[0]);
    console.log(
      `about ${envSlope.toFixed(3)} s per environment; 60 environments in ${envRows.at(-1).seconds.toFixed(2)} s (target < 6 s: ${verdict(envRows.at(-1).seconds < 6)}); ` +
        `peak RSS ${Math.max(...envRows.map((r) => r.rssMb)).toFixed(0)} MB (target < 300 MB: ${verdict(envRows.every((r) => r.rssMb < 300))})`,
    );

    process.stderr.write("application series…\n");
    const appCounts = [0, 10, 50, 100];
    const appRows = interleaved(
      appCounts.map((n) => synthIn(`staging + ${n} applications`, [["staging.yaml", withExtraApplications(staging, n)]])),
      scaleRuns,
    );
    console.log(`\n${table(appRows, "applications")}`);
    const added = (appRows.at(-1).seconds - appRows[0].seconds) / appRows[0].seconds;
    console.log(
      `100 more applications add ${added.toFixed(2)}x the time of staging without them (target <= 2x: ${verdict(added <= 2)}); ` +
        `peak RSS ${Math.max(...appRows.map((r) => r.rssMb)).toFixed(0)} MB (target < 300 MB: ${verdict(appRows.every((r) => r.rssMb < 300))})`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(path.join(root, ".cache", "bench"), { recursive: true, force: true });
}
