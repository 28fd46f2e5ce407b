import { execFileSync } from "node:child_process";
import { ConfigError } from "../config";
import { GENERATED_DIR, readSnapshot, type SnapshotFiles } from "../snapshot/snapshot";
import type { StackJson } from "./compare";

const TERRAFORM_PREFIX = "terraform/";
const SUFFIX = ".tf.json";

export function stackName(file: string): string | undefined {
  return file.startsWith(TERRAFORM_PREFIX) && file.endsWith(SUFFIX) ? file.slice(TERRAFORM_PREFIX.length, -SUFFIX.length) : undefined;
}

/** Stacks of a snapshot given as files relative to `generated/`, optionally limited to some environments. */
export function stacksFromFiles(files: ReadonlyMap<string, string>, envs?: readonly string[]): Map<string, StackJson> {
  const stacks = new Map<string, StackJson>();
  for (const [file, content] of files) {
    const name = stackName(file);
    if (name && (!envs || envs.some((env) => name.startsWith(`${env}-`)))) stacks.set(name, JSON.parse(content) as StackJson);
  }
  return stacks;
}

/** The reviewed snapshot on disk (`generated/`). */
export function baselineFromGenerated(projectRoot: string, envs?: readonly string[]): Map<string, StackJson> {
  return stacksFromFiles(readSnapshot(`${projectRoot}/${GENERATED_DIR}`), envs);
}

/** Runs git in the project; throws a ConfigError naming `--against` for an unknown ref. */
export function gitAt(projectRoot: string): (...args: string[]) => string {
  return (...args: string[]) =>
    execFileSync("git", args, { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
}

export function verifyRef(projectRoot: string, ref: string, option = "--against"): string {
  try {
    return gitAt(projectRoot)("rev-parse", "--verify", "--quiet", `${ref}^{commit}`).trim();
  } catch {
    throw ConfigError.single("shipyard", `unknown git ref "${ref}" (expected "generated" or a commit, branch or tag)`, option);
  }
}

/** Every file of `generated/` as committed at a git ref; a ref without `generated/` is an error. */
export function snapshotAtRef(projectRoot: string, ref: string, option = "--against"): SnapshotFiles {
  verifyRef(projectRoot, ref, option);
  const git = gitAt(projectRoot);
  const listing = git("ls-tree", "-r", "--name-only", ref, "--", `${GENERATED_DIR}/`);
  const files: SnapshotFiles = new Map();
  for (const file of listing.split("\n").filter(Boolean)) files.set(file.slice(GENERATED_DIR.length + 1), git("show", `${ref}:${file}`));
  if (![...files.keys()].some((f) => stackName(f))) {
    throw ConfigError.single(
      "shipyard",
      `git ref "${ref}" has no ${GENERATED_DIR}/${TERRAFORM_PREFIX} to compare with (expected a commit that holds the reviewed snapshot; run \`./shipyard snapshot\` there first)`,
      option,
    );
  }
  return files;
}

/** The snapshot committed at a git ref (`generated/terraform/*.tf.json` as of that commit). */
export function baselineFromGitRef(projectRoot: string, ref: string, envs?: readonly string[]): Map<string, StackJson> {
  return stacksFromFiles(snapshotAtRef(projectRoot, ref), envs);
}

/** The baseline snapshot: `generated/` on disk, or as committed at a git ref. */
export function baselineSnapshot(projectRoot: string, against: string, option = "--against"): SnapshotFiles {
  return against === "generated" ? readSnapshot(`${projectRoot}/${GENERATED_DIR}`) : snapshotAtRef(projectRoot, against, option);
}
