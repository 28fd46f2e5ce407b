import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../config";
import { removeTemporary, trackTemporary, untrack } from "./cleanup";

/** The file that marks a folder as written by Shipyard, so a later run may replace it. */
export const OUTPUT_MARKER = ".shipyard-output";

/** Top-level folders of the project that `--out` must never replace, whatever they hold. */
export const PROTECTED = [
  ".git",
  ".ci",
  ".shipyard",
  "node_modules",
  "environments",
  "generated",
  "src",
  "modules",
  "__tests__",
  "ansible",
  "app",
  "bin",
  "ci",
  "docs",
  "scripts",
  "bench",
  "terraform-state",
];

/**
 * Checks that `out` (as the user typed it, relative to `cwd`) may be replaced by a synthesis, and
 * returns it relative to the project root. Allowed: a folder inside the project that does not exist,
 * is empty, or holds Shipyard's marker; never the project itself, one of {@link PROTECTED} or anything
 * inside one, and never a file.
 */
export function checkOutputDir(root: string, cwd: string, out: string): string {
  const absolute = path.resolve(cwd, out);
  const relative = path.relative(root, absolute);
  const refuse = (why: string) => ConfigError.single("shipyard", `"${out}" ${why}`, "--out");
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw refuse("is not a folder inside the project (expected e.g. cdktf.out)");
  }
  const first = relative.split(path.sep)[0]!;
  if (PROTECTED.includes(first)) {
    throw refuse(`is inside ${first}/, which synth never replaces (expected a folder of its own, e.g. cdktf.out)`);
  }
  for (let dir = path.dirname(absolute); dir !== root && dir.startsWith(root); dir = path.dirname(dir)) {
    if (existsSync(dir) && !lstatSync(dir).isDirectory())
      throw refuse(`cannot be created: ${path.relative(root, dir)} is a file (expected folders on the way)`);
  }
  if (!existsSync(absolute)) return relative;
  const stat = lstatSync(absolute);
  if (!stat.isDirectory()) throw refuse("exists and is not a folder (expected a folder Shipyard wrote, an empty one, or a new name)");
  const entries = readdirSync(absolute);
  // A CDKTF output folder (manifest.json and stacks/ only) counts as Shipyard's: earlier versions wrote no marker.
  const cdktfLayout = entries.every((e) => ["manifest.json", "stacks"].includes(e));
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER) && !cdktfLayout) {
    throw refuse(
      `holds files Shipyard did not write (no ${OUTPUT_MARKER} marker; expected a folder Shipyard wrote, an empty one, or a new name)`,
    );
  }
  return relative;
}

/**
 * Builds a new output folder beside `target` and swaps it in, holding a lock on `target` meanwhile.
 * `fill` writes into the staging folder it is given. A concurrent run waits for the lock; an
 * interrupted or failed run leaves the old folder untouched and no temporary folder behind.
 */
export async function replaceOutputDir(target: string, fill: (staging: string) => void | Promise<void>): Promise<void> {
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  const base = path.basename(target);
  const release = await lock(path.join(parent, `.${base}.lock`));
  const staging = trackTemporary(path.join(parent, `.${base}.tmp-${process.pid}`));
  const old = trackTemporary(path.join(parent, `.${base}.old-${process.pid}`));
  try {
    rmSync(staging, { recursive: true, force: true });
    await fill(staging);
    writeFileSync(path.join(staging, OUTPUT_MARKER), "Written by `shipyard synth`; the next synth replaces this folder.\n");
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    untrack(staging);
  } finally {
    removeTemporary(staging);
    removeTemporary(old);
    release();
  }
}

/** An exclusive lock file; waits for a live holder and takes over from a dead one. */
async function lock(file: string): Promise<() => void> {
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      trackTemporary(file);
      return () => removeTemporary(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number.parseInt(readFileSync(file, "utf8"), 10);
    if (!Number.isFinite(holder) || !alive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (attempt === 600) {
      throw ConfigError.single(
        "shipyard",
        `${path.basename(file)} is held by process ${holder} for more than a minute (expected one synthesis at a time into a folder)`,
        "--out",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
