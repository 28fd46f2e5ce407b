import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config";
import { ShipyardValidationError } from "../../modules/core";
import { installHandlers } from "./cleanup";
import { enterProjectRoot } from "./context";

/**
 * Exit codes of the CLI contract (DESIGN.md): 1 is a result (changes, findings, a failed deploy), 2 is
 * something the user must fix (bad flag or config, and file-system problems such as a read-only or full
 * disk), 70 a bug in Shipyard, 130/143 interrupted by Ctrl-C/SIGTERM.
 */
export const EXIT = { ok: 0, changed: 1, badInput: 2, internal: 70 } as const;

/** `--env a,b` and `--env a --env b` alike. */
export function collect(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** File-system errors a user can fix, and what they mean. */
const FS_ERRORS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "is a folder, expected a file",
  EEXIST: "a file is in the way",
  EMFILE: "too many open files",
};

export function fileSystemMessage(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!e || typeof e.code !== "string" || !(e.code in FS_ERRORS)) return undefined;
  const where = e.path ? `${relativeToCwd(e.path)}: ` : "";
  return `shipyard: ${where}${FS_ERRORS[e.code]} (${e.code}; expected a writable folder with free space)`;
}

function relativeToCwd(p: string): string {
  const relative = require("node:path").relative(process.cwd(), p) as string;
  return relative && !relative.startsWith("..") ? relative : p;
}

function envOption(): Option {
  return new Option("--env <name>", "environment(s) to work on: repeatable or comma-separated (default: every file in environments/)")
    .argParser(collect)
    .default([], "all");
}

function changedOption(): Option {
  return new Option(
    "--changed [ref]",
    "only the environments a change touches: whose generated output differs from generated/ at REF, or whose environments/<env>.yaml differs from REF's (default REF: generated/ on disk and HEAD)",
  );
}

/**
 * Builds the `shipyard` command; `run` receives each command's exit code. Each command module is
 * required when its command runs, so `--help`, usage errors and `validate` start without loading CDKTF
 * and the providers.
 */
export function buildProgram(run: (code: number) => void): Command {
  const program = new Command("shipyard")
    .description("Synthesizes a production AWS EKS platform as Terraform JSON from validated environment files.")
    .version((require("../../package.json") as { version: string }).version, "-V, --version", "print the version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command("synth")
    .description("synthesize the selected environments in-process into DIR (CDKTF layout: manifest.json, stacks/<stack>/cdk.tf.json)")
    .addOption(envOption())
    .addOption(changedOption())
    .option(
      "--out <dir>",
      "output folder inside the project, relative to where you are; replaced only when Shipyard wrote it or it is empty (default: cdktf.out at the project root)",
    )
    .option("--local-state", "keep every stack's state in local files, whatever the environment's backend (offline work)")
    .action(async (opts) => run(await (require("./commands/synth") as typeof import("./commands/synth")).runSynth(opts)));

  program
    .command("validate")
    .description("validate the environment files only")
    .addOption(envOption())
    .action((opts) => run((require("./commands/validate") as typeof import("./commands/validate")).runValidate(opts)));

  program
    .command("snapshot")
    .description("rewrite generated/ (Terraform JSON per stack, JSON Schema, monitoring, dashboards, Ansible vars) from a fresh synthesis")
    .addOption(envOption())
    .option("--check", "only report whether generated/ is fresh (exit 1 when stale)")
    .action(async (opts) => run(await (require("./commands/snapshot") as typeof import("./commands/snapshot")).runSnapshot(opts)));

  program
    .command("diff")
    .description("review what a change does: stacks and resources added, removed or changed, with the changed attributes")
    .addOption(envOption())
    .addOption(changedOption())
    .option("--against <ref>", 'baseline: "generated" (the reviewed snapshot) or a git ref whose generated/ to compare with', "generated")
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .option("--exit-code", "exit 1 when something changed")
    .action((opts) => run((require("./commands/diff") as typeof import("./commands/diff")).runDiff(opts)));

  const stackOptions = (command: Command) =>
    command
      .addOption(envOption())
      .option(
        "--against <ref>",
        "select the stacks whose synthesized JSON differs from generated/ at this git ref (default: what was last deployed: .shipyard/deployed/<env>.json, else refs/shipyard/deployed/<env>, else every stack)",
      )
      .option("--all", "every stack of the selected environments")
      .addOption(new Option("--stack <name>", "only this stack (repeatable or comma-separated)").argParser(collect).default([]))
      .option("--no-dependents", "leave out the stacks that depend on a selected one")
      .option("--parallelism <n>", "independent stacks run at once", "2")
      .option("--out <dir>", "synthesis folder Terraform runs in (default: cdktf.out at the project root)")
      .option("--synthesized", "use the synthesis already in --out (from `shipyard synth`) instead of synthesizing again")
      .option("--dry-run", "print the ordered stacks and why, run nothing");

  stackOptions(
    program
      .command("plan")
      .description(
        "terraform init and plan (saved plan file) for the stacks a change affects, in dependency order; a log per stack in <out>/logs/. Exit 0 done, 1 a stack failed, 2 bad input, 3 changes present with --detailed-exitcode (drift check: plan --all --detailed-exitcode)",
      ),
  )
    .option("--detailed-exitcode", "exit 0 when no stack has changes, 3 when some do, 1 when a plan failed")
    .action(async (opts) => run(await (require("./commands/deploy") as typeof import("./commands/deploy")).runPlan(opts)));

  stackOptions(
    program
      .command("deploy")
      .description(
        "plan and apply the saved plan of the stacks a change affects, in dependency order, independent ones in parallel; a failure skips its dependents; records what was deployed in .shipyard/deployed/<env>.json. Exit 0, 1 a stack failed, 2 bad input",
      ),
  ).action(async (opts) => run(await (require("./commands/deploy") as typeof import("./commands/deploy")).runDeploy(opts)));

  program
    .command("check")
    .description(
      "every check a reviewer needs on the synthesized stacks: Shipyard's own (IAM actions real, …) and checkov (pinned in .cache/venv by .ci/run, or on PATH). Exit 0 clean, 1 findings, 2 bad input or checkov missing",
    )
    .addOption(envOption())
    .addOption(changedOption())
    .addOption(
      new Option("--format <format>", "output format (sarif: SARIF 2.1.0 for code scanning)")
        .choices(["text", "markdown", "json", "sarif"])
        .default("text"),
    )
    .addOption(new Option("--only <id>", "run only these checks (repeatable or comma-separated)").argParser(collect).default([]))
    .addOption(
      new Option("--skip <id>", "leave out these checks, e.g. --skip checkov (repeatable or comma-separated)")
        .argParser(collect)
        .default([]),
    )
    .action(async (opts) => run(await (require("./commands/check") as typeof import("./commands/check")).runCheck(opts)));

  program
    .command("cost")
    .description(
      "monthly cost per environment, stack and resource from a dated price table (src/cost/prices/) and stated usage assumptions (cost.yaml overrides them), with reserved and savings-plan prices beside on-demand; --against shows a change's delta. Exit 0, 2 bad input (a region without a price table)",
    )
    .addOption(envOption())
    .addOption(changedOption())
    .option("--against <ref>", 'baseline for the delta: "generated" or a git ref whose generated/ to price')
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .action((opts) => run((require("./commands/cost") as typeof import("./commands/cost")).runCost(opts)));

  program
    .command("graph")
    .description(
      "the stacks and their dependencies per environment, or with --resources the resources of one stack, as Mermaid (READMEs, pull requests) or DOT (Graphviz)",
    )
    .addOption(envOption())
    .addOption(new Option("--format <format>", "output format").choices(["mermaid", "dot"]).default("mermaid"))
    .option("--resources <stack>", "draw the resources and data sources of this stack and their references")
    .action((opts) => run((require("./commands/graph") as typeof import("./commands/graph")).runGraph(opts)));

  for (const command of program.commands) {
    command.exitOverride().showHelpAfterError("(run with --help for usage)").configureOutput(program.configureOutput());
  }
  return program;
}

/** Runs the CLI and returns its exit code; bad input never escapes as a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.badInput;
  }
  installHandlers();
  enterProjectRoot();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof ConfigError || error instanceof ShipyardValidationError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.badInput;
    }
    const fsMessage = fileSystemMessage(error);
    if (fsMessage) {
      process.stderr.write(`${fsMessage}\n`);
      return EXIT.badInput;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`shipyard: internal error: ${message}\n(set SHIPYARD_DEBUG=1 for details)\n`);
    if (process.env.SHIPYARD_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}
