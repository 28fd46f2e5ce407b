import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, ENVIRONMENTS_DIR, loadEnvironments, type EnvironmentConfig } from "../config";

/** Options every command accepts. */
export interface CommonOptions {
  /** Environments to work on; empty means every file in environments/. */
  env: string[];
  /** `--changed [REF]`: only the environments a change touches (true: against `generated`). */
  changed?: string | boolean;
}

let invocationDir = process.cwd();
let root: string | undefined;

/**
 * The project root: the nearest folder at or above the working directory holding `cdktf.json` and
 * `environments/`, so the CLI works from any subfolder. The process moves there, so relative paths in
 * messages and outputs are the project's; paths the user typed are resolved from {@link invocationCwd}.
 */
export function enterProjectRoot(start: string = process.cwd()): string | undefined {
  invocationDir = start;
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "cdktf.json")) && isDirectory(path.join(dir, ENVIRONMENTS_DIR))) {
      root = dir;
      if (process.cwd() !== dir) process.chdir(dir);
      return dir;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function projectRoot(): string {
  if (root === undefined && enterProjectRoot() === undefined) {
    throw ConfigError.single(
      "shipyard",
      `${invocationDir} is not inside a Shipyard project (expected cdktf.json and environments/ in it or a folder above)`,
    );
  }
  return root!;
}

/** The folder the command was started from, for paths typed on the command line. */
export function invocationCwd(): string {
  return invocationDir;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function loadSelected(options: CommonOptions): EnvironmentConfig[] {
  const root = projectRoot();
  const envs = loadEnvironments(ENVIRONMENTS_DIR, options.env);
  if (options.changed === undefined || options.changed === false) return envs;
  const ref = options.changed === true ? "generated" : options.changed;
  // Loaded only here: it synthesizes, which --help and validate never need.
  const { changedEnvironments } = require("./changed") as typeof import("./changed");
  const changed = changedEnvironments(root, envs, ref);
  info(`changed against ${ref}: ${changed.length > 0 ? changed.map((e) => e.name).join(", ") : "no environment"}`);
  return changed;
}

/** Messages for people go to stderr, so stdout stays clean for machine formats. */
export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function paint(text: string, code: "green" | "red" | "yellow" | "bold", stream: NodeJS.WriteStream = process.stderr): string {
  if (!stream.isTTY || process.env.NO_COLOR !== undefined) return text;
  const codes = { green: 32, red: 31, yellow: 33, bold: 1 } as const;
  return `\u001b[${codes[code]}m${text}\u001b[0m`;
}
