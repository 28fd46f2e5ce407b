import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { deserialize, serialize } from "node:v8";
import { Worker } from "node:worker_threads";
import { Manifest } from "cdktf";
import type { EnvironmentConfig } from "../config";
import { ShipyardValidationError } from "../../modules/core";

/**
 * Environments share nothing (no value crosses from one to another), so many of them synthesize in
 * parallel: this process takes the first share and child processes the others, each into its own folder,
 * merged afterwards into CDKTF's layout. The output is byte-identical to a synthesis in one process.
 *
 * Below this many environments a second process costs more than it saves: a child process spends about 2 s
 * of CPU of its own (loading the bundle, compiling the hot paths again, collecting its own garbage), while
 * an environment takes about 0.15 s. On 2 cores one process and two broke even at about 30 environments
 * (`npm run bench -- --scale`); at 60, two took 8 s where one took 10 s.
 */
export const PARALLEL_MIN_ENVIRONMENTS = 30;

/** The child processes' entry: bundled by bin/shipyard.js beside cli.js, absent when running from source. */
export function workerScript(): string | undefined {
  const script = path.join(__dirname, "synth-worker.js");
  return existsSync(script) ? script : undefined;
}

/**
 * How many processes synthesize `count` environments: `SHIPYARD_SYNTH_WORKERS` when set (1 turns
 * parallelism off), otherwise one per core once there are enough environments, at most one per environment.
 */
export function workerCount(count: number, env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.SHIPYARD_SYNTH_WORKERS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, count);
  if (count < PARALLEL_MIN_ENVIRONMENTS) return 1;
  return Math.max(1, Math.min(availableParallelism(), count));
}

/** `items` split into `count` contiguous shares of nearly equal size, in order. */
export function shares<T>(items: readonly T[], count: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const size = Math.floor(items.length / count) + (i < items.length % count ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out.filter((share) => share.length > 0);
}

/** What a child process is asked to do (v8-serialized into a file). */
export interface WorkerJob {
  readonly envs: readonly EnvironmentConfig[];
  readonly dir: string;
  readonly stateOutdir: string;
  readonly resultFile: string;
}

/** What it answers. */
export type WorkerResult =
  | { readonly ok: true; readonly stacks: string[] }
  | { readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly path?: string } };

export function errorResult(error: unknown): WorkerResult {
  if (error instanceof ShipyardValidationError) return { ok: false, error: { name: error.name, message: error.message, path: error.path } };
  return {
    ok: false,
    error: { name: error instanceof Error ? error.name : "Error", message: error instanceof Error ? error.message : String(error) },
  };
}

function rethrow(result: Extract<WorkerResult, { ok: false }>): never {
  const { name, message, path: at } = result.error;
  if (name === "ShipyardValidationError" && at !== undefined) throw new ShipyardValidationError(at, message.slice(at.length + 2));
  throw new Error(message);
}

/**
 * A helper thread that starts the child processes and waits for them, so this thread can synthesize its
 * own share meanwhile and then block (Atomics.wait) until they are done: the callers stay synchronous.
 */
const SUPERVISOR = `
const { workerData } = require("node:worker_threads");
const { spawn } = require("node:child_process");
const { execPath, script, jobFiles, signal } = workerData;
let left = jobFiles.length;
const done = () => { if (--left === 0) { Atomics.store(signal, 0, 1); Atomics.notify(signal, 0); } };
for (const job of jobFiles) {
  const child = spawn(execPath, [script, job], { stdio: ["ignore", "ignore", "inherit"] });
  child.on("error", done);
  child.on("exit", done);
}
`;

/**
 * Synthesizes `envs` into `dir` in `workers` processes. `synthesizeShare` is the sequential synthesis
 * (passed in, so this module does not import its caller).
 */
export function synthesizeParallel(
  envs: readonly EnvironmentConfig[],
  dir: string,
  stateOutdir: string,
  workers: number,
  script: string,
  synthesizeShare: (envs: readonly EnvironmentConfig[], dir: string, stateOutdir: string) => string[],
): string[] {
  rmSync(dir, { recursive: true, force: true });
  const work = path.join(dir, ".shares");
  mkdirSync(work, { recursive: true });
  const parts = shares(envs, workers);
  const jobs: WorkerJob[] = parts.map((share, i) => ({
    envs: share,
    dir: path.join(work, `share-${i}`),
    stateOutdir,
    resultFile: path.join(work, `result-${i}.bin`),
  }));
  const jobFiles = jobs.slice(1).map((job, i) => {
    const file = path.join(work, `job-${i + 1}.bin`);
    writeFileSync(file, serialize(job));
    return file;
  });
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const supervisor = new Worker(SUPERVISOR, { eval: true, workerData: { execPath: process.execPath, script, jobFiles, signal } });
  let own: WorkerResult;
  try {
    own = { ok: true, stacks: synthesizeShare(jobs[0]!.envs, jobs[0]!.dir, stateOutdir) };
  } catch (error) {
    own = errorResult(error);
  }
  Atomics.wait(signal, 0, 0);
  void supervisor.terminate();
  const results = [own, ...jobs.slice(1).map((job) => readResult(job.resultFile))];
  for (const result of results) if (!result.ok) rethrow(result);

  // Merge: every share's stacks into dir/stacks, every share's manifest entries into one manifest.
  const stacksDir = path.join(dir, Manifest.stacksFolder);
  mkdirSync(stacksDir, { recursive: true });
  let manifest: Manifest | undefined;
  for (const job of jobs) {
    const written = JSON.parse(readFileSync(path.join(job.dir, Manifest.fileName), "utf8")) as {
      version: string;
      stacks: Manifest["stacks"];
    };
    manifest ??= new Manifest(written.version, dir, false);
    Object.assign(manifest.stacks, written.stacks);
    for (const stack of readdirSync(path.join(job.dir, Manifest.stacksFolder))) {
      renameSync(path.join(job.dir, Manifest.stacksFolder, stack), path.join(stacksDir, stack));
    }
  }
  manifest!.writeToFile();
  rmSync(work, { recursive: true, force: true });
  return results.flatMap((result) => (result.ok ? result.stacks : []));
}

function readResult(file: string): WorkerResult {
  if (!existsSync(file))
    return { ok: false, error: { name: "Error", message: `a synthesis process ended without a result (${path.basename(file)})` } };
  return deserialize(readFileSync(file)) as WorkerResult;
}

/** The child process: `node synth-worker.js <job-file>`. */
export function runWorkerJob(
  jobFile: string,
  synthesizeShare: (envs: readonly EnvironmentConfig[], dir: string, stateOutdir: string) => string[],
): number {
  const job = deserialize(readFileSync(jobFile)) as WorkerJob;
  let result: WorkerResult;
  try {
    result = { ok: true, stacks: synthesizeShare(job.envs, job.dir, job.stateOutdir) };
  } catch (error) {
    result = errorResult(error);
  }
  writeFileSync(job.resultFile, serialize(result));
  return result.ok ? 0 : 1;
}
