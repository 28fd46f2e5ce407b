import type { EnvironmentConfig } from "../config";
import { baselineSnapshot, gitAt } from "../review/baseline";
import { belongsTo } from "../review/review";
import { renderSnapshot } from "../snapshot/snapshot";

/**
 * `--changed [REF]`: the environments a change touches. An environment counts as changed when what
 * Shipyard generates for it (its stacks' Terraform JSON, rules, dashboards, Ansible variables) differs
 * from `generated/` at REF, or when its `environments/<env>.yaml` differs from REF's. REF defaults to
 * `generated`: the snapshot on disk, with the environment files compared to HEAD.
 */
export function changedEnvironments(root: string, envs: readonly EnvironmentConfig[], ref: string): EnvironmentConfig[] {
  const before = baselineSnapshot(root, ref, "--changed");
  const after = renderSnapshot(envs);
  const editedFiles = editedEnvironmentFiles(root, ref === "generated" ? "HEAD" : ref);
  return envs.filter((env) => {
    if (editedFiles.includes(`environments/${env.name}.yaml`)) return true;
    const files = new Set([...before.keys(), ...after.keys()].filter((f) => belongsTo(f, env.name)));
    return [...files].some((f) => before.get(f) !== after.get(f));
  });
}

function editedEnvironmentFiles(root: string, ref: string): string[] {
  try {
    const git = gitAt(root);
    const tracked = git("diff", "--name-only", ref, "--", "environments/").split("\n");
    const untracked = git("ls-files", "--others", "--exclude-standard", "--", "environments/").split("\n");
    return [...tracked, ...untracked].filter(Boolean);
  } catch {
    return []; // not a git checkout: the generated output decides alone
  }
}
