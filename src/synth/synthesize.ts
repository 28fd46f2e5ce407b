import { mkdirSync, renameSync, rmSync } from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import type { IConstruct, IValidation } from "constructs";
import { ValidateBinaryVersion } from "cdktf/lib/validations/validate-binary-version";
import type { EnvironmentConfig } from "../config";
import { ShipyardValidationError } from "../../modules/core";
import { buildEnvironment, type EnvironmentStacks } from "../stacks";
import { synthesizeParallel, workerCount, workerScript } from "./parallel";

export interface SynthOptions {
  /** Output folder, relative to `projectRoot` (CDKTF layout: manifest.json, stacks/<stack>/cdk.tf.json). */
  readonly outdir: string;
  /** The project root; relative paths in the output are computed from it. */
  readonly projectRoot: string;
}

/**
 * Builds every stack of the given environments on an App. Shared by `shipyard synth` and `main.ts`
 * (the entry `cdktf synth` runs), so both produce the same files.
 */
export function buildApp(app: App, envs: readonly EnvironmentConfig[], outdir: string): Map<string, EnvironmentStacks> {
  return withoutStackFormatting(() => {
    const stacks = new Map<string, EnvironmentStacks>();
    for (const env of envs) stacks.set(env.name, buildEnvironment(app, env, { outdir }));
    return stacks;
  });
}

/**
 * Runs `work` without stack traces. CDKTF captures a full stack trace for every token it creates (to point
 * at the construct in its own error messages), raising `Error.stackTraceLimit` to do so; capturing and
 * formatting them took about a sixth of a synthesis, and a tenth more with a hundred applications.
 * Shipyard reports problems by config key and module prop, never by stack, so they are not needed:
 * captures leave `stack` unset and formatting yields "" (CDKTF then records an empty trace).
 * SHIPYARD_DEBUG=1 keeps them.
 */
export function withoutStackFormatting<T>(work: () => T): T {
  if (process.env.SHIPYARD_DEBUG) return work();
  const previousPrepare = Error.prepareStackTrace;
  const previousCapture = Error.captureStackTrace;
  Error.prepareStackTrace = () => "";
  Error.captureStackTrace = () => undefined;
  try {
    return work();
  } finally {
    Error.prepareStackTrace = previousPrepare;
    Error.captureStackTrace = previousCapture;
  }
}

/**
 * Runs every construct validation except the ones that shell out to `terraform version` (added by the
 * cloud backend and by moved/imported resources): synthesis must not need a terraform binary, and the
 * CI that runs `cdktf deploy` checks the real version anyway.
 */
export function validateApp(app: App): void {
  const problems: string[] = [];
  for (const construct of app.node.findAll()) {
    for (const validation of validationsOf(construct)) {
      if (validation instanceof ValidateBinaryVersion) continue;
      for (const message of validation.validate()) problems.push(`${construct.node.path}: ${message}`);
    }
  }
  if (problems.length > 0) throw new ShipyardValidationError("synth", problems.join("\n"));
}

function validationsOf(construct: IConstruct): IValidation[] {
  // constructs keeps validations private; reading them lets us drop the binary-version checks only.
  const list = (construct.node as unknown as { _validations?: IValidation[] })._validations;
  return list ?? [{ validate: () => construct.node.validate() }];
}

/**
 * Synthesizes in-process into a fresh folder beside the target, then swaps it in, so an error never
 * leaves a half-written output folder behind. Returns the stack names in manifest order.
 */
export function synthesize(envs: readonly EnvironmentConfig[], options: SynthOptions): string[] {
  const target = path.resolve(options.projectRoot, options.outdir);
  const staging = `${target}.tmp-${process.pid}`;
  try {
    const stacks = synthesizeInto(envs, staging, options.outdir);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    return stacks;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Synthesizes into `dir` (created fresh). `stateOutdir` is the output folder the files are meant for,
 * relative to the project root: local state paths are computed from it, so a snapshot rendered in a
 * temporary folder is byte-identical to a synth into `cdktf.out`. Many environments are shared out to
 * several processes when the CLI runs from its bundle (see parallel.ts); the files are the same.
 */
export function synthesizeInto(envs: readonly EnvironmentConfig[], dir: string, stateOutdir: string): string[] {
  const workers = workerCount(envs.length);
  const script = workers > 1 ? workerScript() : undefined;
  if (script) return synthesizeParallel(envs, dir, stateOutdir, workers, script, synthesizeSequential);
  return synthesizeSequential(envs, dir, stateOutdir);
}

/** synthesizeInto in this process alone: every environment's stacks on one App. */
export function synthesizeSequential(envs: readonly EnvironmentConfig[], dir: string, stateOutdir: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const app = new App({ outdir: dir, stackTraces: false, skipValidation: true });
  const built = buildApp(app, envs, stateOutdir);
  validateApp(app);
  withoutStackFormatting(() => app.synth());
  return [...built.values()].flatMap((stacks) => Object.values(stacks).map((stack) => stack.node.id));
}
