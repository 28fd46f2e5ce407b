import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ROOT } from "./environments";

/**
 * A PATH with node and the system tools but no terraform, as on a fresh machine. Its one folder (a link
 * to node) lives in the git-ignored `.cache/test/`, shared by every suite and run, so nothing is left in
 * the temporary folder.
 */
export function pathWithoutTerraform(): string {
  const bin = path.join(ROOT, ".cache", "test", `bin-without-terraform-${path.basename(process.execPath)}`);
  mkdirSync(bin, { recursive: true });
  const node = path.join(bin, "node");
  try {
    if (readlinkSync(node) !== process.execPath) {
      rmSync(node);
      symlinkSync(process.execPath, node);
    }
  } catch {
    try {
      symlinkSync(process.execPath, node);
    } catch (error) {
      // Another worker created it first.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return [bin, "/usr/bin", "/bin"].join(path.delimiter);
}

const PATH = pathWithoutTerraform();

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI's environment: nothing of the test runner's but PATH, HOME and the command-scope git configuration
 * (`GIT_CONFIG_COUNT`/`_KEY_n`/`_VALUE_n`, which a root build agent uses to name its checkout a safe
 * directory; see ci/lib.sh), plus the test's own variables.
 */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const gitConfig = Object.entries(process.env).filter(([key]) => /^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+)$/.test(key));
  return { PATH, HOME: process.env.HOME ?? tmpdir(), NO_COLOR: "1", ...Object.fromEntries(gitConfig), ...extra };
}

export interface CliOptions {
  /** Working directory. @default the project root */
  cwd?: string;
  /**
   * The checkout whose `bin/shipyard.js` runs: a project copy runs its own sources, a folder holding only
   * a project's inputs (environments, cdktf.json) runs the checkout's.
   * @default cwd
   */
  cli?: string;
  /** Variables added to the CLI's environment (see cliEnv). */
  env?: Record<string, string>;
}

const command = (args: string[], options: CliOptions) => {
  const cwd = options.cwd ?? ROOT;
  return { cwd, argv: [path.join(options.cli ?? cwd, "bin", "shipyard.js"), ...args] };
};

/** Runs the real `shipyard` command as a child process. */
export function shipyard(args: string[], options: CliOptions = {}): CliResult {
  const { cwd, argv } = command(args, options);
  const result = spawnSync(process.execPath, argv, {
    cwd,
    encoding: "utf8",
    env: cliEnv(options.env),
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch folder inside the project (git-ignored), for --out. */
export function scratchDir(name: string): string {
  const dir = path.join(".cache", "test", `${name}-${process.pid}`);
  mkdirSync(path.join(ROOT, ".cache", "test"), { recursive: true });
  return dir;
}

/** The same as `shipyard`, without blocking the worker, so independent cases can run concurrently. */
export function shipyardAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const { cwd, argv } = command(args, options);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd,
      env: cliEnv(options.env),
      timeout: 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
