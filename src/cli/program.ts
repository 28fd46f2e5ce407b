import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config";
import { ShipyardValidationError } from "../../modules/core";

/** Exit codes of the CLI contract (DESIGN.md). */
export const EXIT = { ok: 0, changed: 1, badInput: 2, internal: 70 } as const;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function envOption(): Option {
  return new Option("--env <name>", "environment to work on (repeatable; default: every file in environments/)").argParser(collect).default([], "all");
}

/**
 * Builds the `shipyard` command; `run` receives each command's exit code. Each command module is
 * required when its command runs, so `--help`, usage errors and `validate` start without loading CDKTF
 * and the providers.
 */
export function buildProgram(run: (code: number) => void): Command {
  const program = new Command("shipyard")
    .description("Synthesizes a production AWS EKS platform as Terraform JSON from validated environment files.")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command("synth")
    .description("synthesize the selected environments in-process into DIR (CDKTF layout: manifest.json, stacks/<stack>/cdk.tf.json)")
    .addOption(envOption())
    .option("--out <dir>", "output folder inside the project", "cdktf.out")
    .option("--local-state", "keep every stack's state in local files, whatever the environment's backend (offline work)")
    .action((opts) => run((require("./commands/synth") as typeof import("./commands/synth")).runSynth(opts)));

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
    .action((opts) => run((require("./commands/snapshot") as typeof import("./commands/snapshot")).runSnapshot(opts)));

  program
    .command("diff")
    .description("review what a change does: stacks and resources added, removed or changed, with the changed attributes")
    .addOption(envOption())
    .option("--against <ref>", 'baseline: "generated" (the reviewed snapshot) or a git ref whose generated/ to compare with', "generated")
    .addOption(new Option("--format <format>", "output format").choices(["text", "markdown", "json"]).default("text"))
    .option("--exit-code", "exit 1 when something changed")
    .action((opts) => run((require("./commands/diff") as typeof import("./commands/diff")).runDiff(opts)));

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
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`shipyard: internal error: ${message}\n(set SHIPYARD_DEBUG=1 for details)\n`);
    if (process.env.SHIPYARD_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return EXIT.internal;
  }
}
