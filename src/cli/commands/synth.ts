import * as path from "node:path";
import { synthesize } from "../../synth/synthesize";
import { DEFAULT_OUTDIR } from "../../snapshot/snapshot";
import { ConfigError, type EnvironmentConfig } from "../../config";
import { info, loadSelected, paint, projectRoot, type CommonOptions } from "../context";

export interface SynthOptions extends CommonOptions {
  out: string;
  localState?: boolean;
}

/** The same environment with its state kept in local files under terraform-state/. */
export function withLocalState(env: EnvironmentConfig): EnvironmentConfig {
  return { ...env, state: { backend: "local", directory: "terraform-state" } };
}

export function runSynth(options: SynthOptions): number {
  const root = projectRoot();
  const out = options.out ?? DEFAULT_OUTDIR;
  const relative = path.relative(root, path.resolve(root, out));
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw ConfigError.single("shipyard", `"${out}" is not a folder inside the project (expected e.g. cdktf.out)`, "--out");
  }
  const loaded = loadSelected(options);
  const envs = options.localState ? loaded.map(withLocalState) : loaded;
  const stacks = synthesize(envs, { outdir: relative, projectRoot: root });
  const state = options.localState ? " (local state)" : "";
  info(`${paint("synthesized", "green")} ${stacks.length} stacks of ${envs.map((e) => e.name).join(", ")} into ${relative}/${state}`);
  return 0;
}
