import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, type EnvironmentConfig } from "../../config";
import { dependencyOrder, readManifest, selectedDependencies, type Manifest } from "../../deploy/graph";
import { DEPLOYED_DIR, fingerprint, readRecord, recordDeployed } from "../../deploy/record";
import { runInOrder, type Outcome } from "../../deploy/run";
import { baselineFromRecord, baselineFromStacks, selectStacks, type Baseline, type Reason } from "../../deploy/select";
import { findTerraform, planAndMaybeApply, terraformBinary } from "../../deploy/terraform";
import { gitAt, snapshotAtRef, stacksFromFiles, verifyRef } from "../../review/baseline";
import { DEFAULT_OUTDIR } from "../../snapshot/snapshot";
import { DEPLOYER_LAYERS, LAYERS } from "../../stacks/shipyard-stack";
import { synthesizeInto } from "../../synth/synthesize";
import { checkpoint, onInterrupt } from "../cleanup";
import { info, invocationCwd, loadSelected, paint, projectRoot, type CommonOptions } from "../context";
import { checkOutputDir, replaceOutputDir } from "../output-dir";

export interface PlanOptions extends CommonOptions {
  against?: string;
  all?: boolean;
  stack: string[];
  dependents: boolean;
  parallelism: string;
  dryRun?: boolean;
  detailedExitcode?: boolean;
  out?: string;
  /** Use the synthesis already in the output folder instead of synthesizing again. */
  synthesized?: boolean;
}

/** Exit codes of plan and deploy: 0 done (no changes with --detailed-exitcode), 1 a stack failed, 2 bad input, 3 changes (--detailed-exitcode). */
export const DEPLOY_EXIT = { ok: 0, failed: 1, badInput: 2, changes: 3 } as const;

export function parseParallelism(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1)
    throw ConfigError.single("shipyard", `got "${value}" (expected a whole number of stacks to run at once, 1 or more)`, "--parallelism");
  return n;
}

/** The ref recorded for an environment's last deploy, pushed by CI so a fresh checkout knows it. */
export const deployedRef = (env: string) => `refs/shipyard/deployed/${env}`;

export function runPlan(options: PlanOptions): Promise<number> {
  return runStacks(options, false);
}

export function runDeploy(options: PlanOptions): Promise<number> {
  return runStacks({ ...options, detailedExitcode: false }, true);
}

async function runStacks(options: PlanOptions, apply: boolean): Promise<number> {
  const parallelism = parseParallelism(options.parallelism);
  const root = projectRoot();
  const envs = loadSelected(options);
  checkStackNames(envs, options.stack);
  if (options.against !== undefined) verifyRef(root, options.against);
  const relative =
    options.out === undefined ? checkOutputDir(root, root, DEFAULT_OUTDIR) : checkOutputDir(root, invocationCwd(), options.out);
  const outdir = path.join(root, relative);

  if (options.synthesized) {
    if (!existsSync(path.join(outdir, "manifest.json"))) {
      throw ConfigError.single(
        "shipyard",
        `${relative}/ holds no synthesis (expected \`./shipyard synth --out ${relative}\` first)`,
        "--synthesized",
      );
    }
  } else {
    await replaceOutputDir(outdir, async (staging) => {
      synthesizeInto(envs, staging, relative.split(path.sep).join("/"));
      await checkpoint();
    });
  }
  const verb = apply ? "deploy" : "plan";
  const names = new Set(envs.map((e) => e.name));
  const stacksOf = new Map([...readManifest(outdir)].filter(([name]) => names.has(envOf(name))));
  const read = (s: { synthesizedStackPath: string }) =>
    JSON.parse(readFileSync(path.join(outdir, s.synthesizedStackPath), "utf8")) as unknown;
  const baselineOf = baselines(root, envs, options.against);
  // The bootstrap layer is an administrator's (README, First apply): never planned or applied with the
  // deployer's identity. When it changed, say so first: the layers after it may need what it grants.
  for (const [name, stack] of stacksOf) {
    if (isDeployerStack(name)) continue;
    const before = baselineOf(envOf(name)).fingerprintOf(name);
    if (before !== undefined && before !== fingerprint(read(stack))) {
      info(
        `${paint("warning", "yellow")} ${name} changed since ${baselineOf(envOf(name)).label}: an administrator applies it before this ${verb} (README, First apply)`,
      );
    }
  }
  const manifest = new Map([...stacksOf].filter(([name]) => isDeployerStack(name)));
  const current = new Map([...manifest.values()].map((s) => [s.name, read(s)]));
  const selected = selectStacks(manifest, current, (stack) => baselineOf(envOf(stack)), {
    all: options.all,
    named: options.stack,
    dependents: options.dependents,
  });
  const order = dependencyOrder(manifest, new Set(selected.keys()));

  if (!options.dryRun) {
    refuseLocalStateUnderCi(order, current);
    if (order.length > 0 && !findTerraform()) {
      throw ConfigError.single(
        "shipyard",
        `${terraformBinary()} is not on PATH (expected Terraform 1.10 or later; SHIPYARD_TERRAFORM may name the binary)`,
      );
    }
  }
  const labels = [...new Set(envs.map((e) => baselineOf(e.name).label))];
  process.stdout.write(describePlan(verb, order, selected, manifest, parallelism, labels));
  if (options.dryRun || order.length === 0) return DEPLOY_EXIT.ok;

  const dependencies = new Map(order.map((s) => [s, selectedDependencies(manifest, s, new Set(order))]));
  const logOf = (stack: string) => path.join(outdir, "logs", `${stack}.log`);
  const outcomes = await runInOrder(
    order,
    dependencies,
    parallelism,
    (stack) => {
      info(`${paint("start", "bold")} ${verb} ${stack}`);
      return planAndMaybeApply(
        { stack, dir: path.join(outdir, manifest.get(stack)!.workingDirectory), log: logOf(stack) },
        apply,
        onInterrupt,
      );
    },
    (outcome) =>
      info(
        `${paint(outcome.status === "failed" ? "failed" : "done", outcome.status === "failed" ? "red" : "green")} ${outcome.stack}: ${describeOutcome(outcome)}`,
      ),
  );
  process.stdout.write(summaryTable(outcomes, (s) => path.relative(root, logOf(s))));
  if (apply) record(root, outcomes, current);
  if (outcomes.some((o) => o.status === "failed" || o.status === "skipped")) return DEPLOY_EXIT.failed;
  if (options.detailedExitcode && outcomes.some((o) => o.status === "changes")) return DEPLOY_EXIT.changes;
  return DEPLOY_EXIT.ok;
}

const envOf = (stack: string) => stack.slice(0, stack.lastIndexOf("-"));
const isDeployerStack = (stack: string) => (DEPLOYER_LAYERS as readonly string[]).includes(stack.slice(stack.lastIndexOf("-") + 1));

function checkStackNames(envs: readonly EnvironmentConfig[], named: readonly string[]): void {
  const known = envs.flatMap((e) => DEPLOYER_LAYERS.map((l) => `${e.name}-${l}`));
  const unknown = named.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    const admin = unknown.some((s) => !isDeployerStack(s) && LAYERS.some((l) => s.endsWith(`-${l}`)));
    const why = admin ? "; the bootstrap layer is applied by an administrator with terraform, see README, First apply" : "";
    throw ConfigError.single("shipyard", `unknown stack ${unknown.join(", ")} (expected one of: ${known.join(", ")}${why})`, "--stack");
  }
}

/**
 * Each environment's baseline: the `--against` ref's `generated/`, else what was recorded as deployed
 * (`.shipyard/deployed/<env>.json`), else the `refs/shipyard/deployed/<env>` ref CI keeps, else nothing
 * (every stack is new).
 */
function baselines(root: string, envs: readonly EnvironmentConfig[], against: string | undefined): (env: string) => Baseline {
  const result = new Map<string, Baseline>();
  let atRef: Baseline | undefined;
  for (const env of envs) {
    if (against !== undefined) {
      atRef ??= baselineFromStacks(against, stacksFromFiles(snapshotAtRef(root, against)));
      result.set(env.name, atRef);
      continue;
    }
    const recorded = readRecord(root, env.name);
    if (recorded) {
      result.set(env.name, baselineFromRecord(`last deploy (${DEPLOYED_DIR}/${env.name}.json)`, recorded));
      continue;
    }
    const ref = deployedRef(env.name);
    if (refExists(root, ref)) {
      result.set(env.name, baselineFromStacks(ref, stacksFromFiles(snapshotAtRef(root, ref))));
      continue;
    }
    result.set(env.name, { label: `nothing recorded as deployed for ${env.name}`, fingerprintOf: () => undefined });
  }
  return (env) => result.get(env)!;
}

function refExists(root: string, ref: string): boolean {
  try {
    gitAt(root)("rev-parse", "--verify", "--quiet", ref);
    return true;
  } catch {
    return false;
  }
}

/** Local state on a CI agent is lost with the workspace: refuse it there. */
function refuseLocalStateUnderCi(order: readonly string[], current: ReadonlyMap<string, unknown>): void {
  if (!process.env.CI) return;
  const local = order.filter((s) => {
    const backend = (current.get(s) as { terraform?: { backend?: Record<string, unknown> } }).terraform?.backend;
    return !backend || "local" in backend;
  });
  if (local.length > 0) {
    const envs = [...new Set(local.map(envOf))];
    throw ConfigError.single(
      "shipyard",
      `${local.join(", ")} keep state in local files, which a CI agent loses (expected state.backend cloud or s3 in ${envs.map((e) => `environments/${e}.yaml`).join(", ")}; CI is set)`,
    );
  }
}

const REASON: Record<Reason, string> = {
  changed: "synthesized JSON changed",
  "never deployed": "not in the baseline",
  dependent: "depends on a stack in this run",
  all: "--all",
  named: "--stack",
};

function describePlan(
  verb: string,
  order: readonly string[],
  selected: ReadonlyMap<string, Reason>,
  manifest: Manifest,
  parallelism: number,
  baselines: readonly string[],
): string {
  if (order.length === 0) return `Nothing to ${verb}: no stack differs from ${baselines.join(", ")}.\n`;
  const wave = new Map<string, number>();
  for (const stack of order) {
    const deps = selectedDependencies(manifest, stack, new Set(order));
    wave.set(stack, 1 + Math.max(0, ...deps.map((d) => wave.get(d) ?? 0)));
  }
  const width = Math.max(...order.map((s) => s.length));
  const lines = [`${verb} ${order.length} stack(s) against ${baselines.join(", ")}, in dependency order, up to ${parallelism} at a time:`];
  for (const stack of order) {
    const deps = (manifest.get(stack)?.dependencies ?? []).filter((d) => selected.has(d));
    lines.push(
      `  ${String(wave.get(stack)).padStart(2)}. ${stack.padEnd(width)}  ${REASON[selected.get(stack)!]}${deps.length ? `; after ${deps.sort().join(", ")}` : ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function describeOutcome(o: Outcome): string {
  switch (o.status) {
    case "no-changes":
      return "no changes";
    case "changes":
      return "changes planned";
    case "applied":
      return "applied";
    case "failed":
      return "failed";
    case "skipped":
      return `skipped (${o.because})`;
  }
}

function summaryTable(outcomes: readonly Outcome[], log: (stack: string) => string): string {
  const rows = outcomes.map((o) => [o.stack, describeOutcome(o), o.status === "skipped" ? "" : log(o.stack)]);
  const widths = [0, 1, 2].map((i) => Math.max(["stack", "result", "log"][i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return `\n${[line(["stack", "result", "log"]), ...rows.map(line)].join("\n")}\n`;
}

function record(root: string, outcomes: readonly Outcome[], current: ReadonlyMap<string, unknown>): void {
  let commit: string | undefined;
  try {
    const git = gitAt(root);
    commit = git("rev-parse", "HEAD").trim();
    if (git("status", "--porcelain", "--", "environments", "src", "modules").trim() !== "") commit = `${commit}+uncommitted`;
  } catch {
    commit = undefined;
  }
  const byEnv = new Map<string, Record<string, { sha256: string; commit?: string }>>();
  for (const o of outcomes) {
    if (o.status !== "applied" && o.status !== "no-changes") continue;
    const entries = byEnv.get(envOf(o.stack)) ?? {};
    entries[o.stack] = { sha256: fingerprint(current.get(o.stack)), ...(commit ? { commit } : {}) };
    byEnv.set(envOf(o.stack), entries);
  }
  for (const [env, stacks] of byEnv) {
    recordDeployed(root, env, stacks);
    // A clean commit whose every stack of the environment is deployed becomes the environment's ref,
    // which CI pushes (git push origin 'refs/shipyard/*') so the next fresh checkout knows it.
    const all = outcomes.filter((o) => envOf(o.stack) === env);
    if (
      commit &&
      !commit.endsWith("+uncommitted") &&
      all.every((o) => o.status === "applied" || o.status === "no-changes") &&
      all.length === DEPLOYER_LAYERS.length
    ) {
      try {
        gitAt(root)("update-ref", deployedRef(env), commit);
      } catch {
        // not a git checkout we may write to: the file record is enough
      }
    }
  }
}
