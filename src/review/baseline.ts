import { execFileSync } from "node:child_process";
import { ConfigError } from "../config";
import { GENERATED_DIR, readSnapshot } from "../snapshot/snapshot";
import type { StackJson } from "./compare";

const TERRAFORM_PREFIX = "terraform/";
const SUFFIX = ".tf.json";

function stackName(file: string): string | undefined {
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

/** The snapshot committed at a git ref (`generated/terraform/*.tf.json` as of that commit). */
export function baselineFromGitRef(projectRoot: string, ref: string, envs?: readonly string[]): Map<string, StackJson> {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: projectRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
  try {
    git("rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
  } catch {
    throw ConfigError.single("shipyard", `unknown git ref "${ref}" (expected "generated" or a commit, branch or tag)`, "--against");
  }
  const listing = git("ls-tree", "-r", "--name-only", ref, "--", `${GENERATED_DIR}/${TERRAFORM_PREFIX}`);
  const files = new Map<string, string>();
  for (const file of listing.split("\n").filter(Boolean)) {
    files.set(file.slice(GENERATED_DIR.length + 1), git("show", `${ref}:${file}`));
  }
  return stacksFromFiles(files, envs);
}
