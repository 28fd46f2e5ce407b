import { spawn } from "node:child_process";
import { accessSync, appendFileSync, constants, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** Registers a hook for Ctrl-C/SIGTERM and returns its removal (the CLI's `onInterrupt`). */
export type SignalHooks = (hook: (signal: NodeJS.Signals) => void) => () => void;
const noHooks: SignalHooks = () => () => {};

/** The Terraform binary: `SHIPYARD_TERRAFORM`, else `terraform` on PATH. */
export function terraformBinary(): string {
  return process.env.SHIPYARD_TERRAFORM ?? "terraform";
}

/** Whether the Terraform binary can be found (an absolute path, or a name on PATH). */
export function findTerraform(binary = terraformBinary()): string | undefined {
  const candidates = binary.includes("/")
    ? [binary]
    : (process.env.PATH ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, binary));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export type StepResult = "no-changes" | "changes" | "applied" | "failed";

export interface StackWork {
  readonly stack: string;
  /** Folder Terraform runs in (the synthesized stack's folder). */
  readonly dir: string;
  /** Log file for everything Terraform printed for this stack. */
  readonly log: string;
}

/** Runs one Terraform command in a stack's folder, appending its output to the stack's log; resolves to its exit code. */
export function terraform(work: StackWork, args: readonly string[], onSignal: SignalHooks = noHooks): Promise<number> {
  appendFileSync(work.log, `$ terraform ${args.join(" ")}\n`);
  return new Promise((resolve) => {
    const child = spawn(terraformBinary(), args, {
      cwd: work.dir,
      env: { ...process.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Ctrl-C reaches Terraform through the terminal, SIGTERM from CI does not: pass it on, so Terraform
    // stops gracefully and releases its state lock.
    const forget = onSignal((signal) => child.kill(signal === "SIGTERM" ? "SIGINT" : signal));
    child.on("exit", forget);
    child.stdout.on("data", (chunk: Buffer) => appendFileSync(work.log, chunk));
    child.stderr.on("data", (chunk: Buffer) => appendFileSync(work.log, chunk));
    child.on("error", (error) => {
      appendFileSync(work.log, `shipyard: cannot run terraform: ${error.message}\n`);
      resolve(127);
    });
    child.on("close", (code, signal) => {
      appendFileSync(work.log, `[exit ${code ?? signal}]\n`);
      resolve(code ?? 128);
    });
  });
}

export const PLAN_FILE = "shipyard.tfplan";

/**
 * init (with the stack's own backend), plan into a saved plan file, and for a deploy apply exactly that
 * saved plan, so what is applied is what was planned. A plan without changes is not applied.
 */
export async function planAndMaybeApply(work: StackWork, apply: boolean, onSignal: SignalHooks = noHooks): Promise<StepResult> {
  mkdirSync(path.dirname(work.log), { recursive: true });
  writeFileSync(work.log, `# ${work.stack}\n`);
  if ((await terraform(work, ["init", "-input=false", "-no-color"], onSignal)) !== 0) return "failed";
  const plan = await terraform(work, ["plan", "-input=false", "-no-color", "-detailed-exitcode", `-out=${PLAN_FILE}`], onSignal);
  if (plan === 0) return "no-changes";
  if (plan !== 2) return "failed";
  if (!apply) return "changes";
  return (await terraform(work, ["apply", "-input=false", "-no-color", PLAN_FILE], onSignal)) === 0 ? "applied" : "failed";
}
