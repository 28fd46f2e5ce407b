import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./chroot";

/** Helpers the Ansible suites share (layout/lint, offline renderings, the chroot runs). */

export const ANSIBLE_DIR = join(REPO_ROOT, "ansible");
export const FIXTURES = join(__dirname, "fixtures");
export const FIXTURE_VARS = join(FIXTURES, "vars.yml");
export const GENERATED_DIR = join(REPO_ROOT, "generated", "ansible");
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

// Everything Ansible and ansible-lint write on the controller goes below the repository's .cache/.
export const HOME = join(REPO_ROOT, ".cache", "ansible-home");
export const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  ANSIBLE_CONFIG: join(ANSIBLE_DIR, "ansible.cfg"),
  ANSIBLE_HOME: HOME,
  ANSIBLE_LOCAL_TEMP: join(HOME, "tmp"),
  ANSIBLE_NOCOLOR: "1",
  ANSIBLE_FORCE_COLOR: "0",
  ANSIBLE_LINT_OFFLINE: "1",
  // One process per module instead of copying it to a temporary file first (the chroot connection supports it).
  ANSIBLE_PIPELINING: "1",
  XDG_CACHE_HOME: join(HOME, "xdg-cache"),
  NO_COLOR: "1",
  PY_COLORS: "0",
};
mkdirSync(HOME, { recursive: true });

export interface Result {
  status: number | null;
  out: string;
}

export function run(cmd: string, args: string[], cwd = ANSIBLE_DIR): Result {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Like run(), without blocking the worker: several ansible processes can then run side by side. */
export function runAsync(cmd: string, args: string[], cwd = ANSIBLE_DIR): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, out: Buffer.concat(chunks).toString("utf8") }));
  });
}

export function expectOk(r: Result): void {
  if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.out}`);
}

/** Totals of a PLAY RECAP, summed over its hosts. */
export function recap(out: string): Record<string, number> {
  const at = out.lastIndexOf("PLAY RECAP");
  if (at < 0) throw new Error(`no PLAY RECAP in:\n${out}`);
  const totals: Record<string, number> = {};
  for (const line of out.slice(at).split("\n").slice(1)) {
    const m = /^\S.*?\s:\s+(ok=.*)$/.exec(line.trim());
    if (!m) continue;
    for (const [, k, v] of m[1]!.matchAll(/(\w+)=(\d+)/g)) totals[k!] = (totals[k!] ?? 0) + Number(v);
  }
  if (!("changed" in totals)) throw new Error(`unreadable PLAY RECAP in:\n${out}`);
  return totals;
}
