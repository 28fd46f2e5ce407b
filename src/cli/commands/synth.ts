import * as path from "node:path";
import { synthesizeInto } from "../../synth/synthesize";
import { DEFAULT_OUTDIR } from "../../snapshot/snapshot";
import type { EnvironmentConfig } from "../../config";
import { checkpoint } from "../cleanup";
import { checkOutputDir, replaceOutputDir } from "../output-dir";
import { info, invocationCwd, loadSelected, paint, projectRoot, type CommonOptions } from "../context";

export interface SynthOptions extends CommonOptions {
  out?: string;
  localState?: boolean;
}

/** The same environment with its state kept in local files under terraform-state/. */
export function withLocalState(env: EnvironmentConfig): EnvironmentConfig {
  return { ...env, state: { backend: "local", directory: "terraform-state" } };
}

export async function runSynth(options: SynthOptions): Promise<number> {
  const root = projectRoot();
  const relative =
    options.out === undefined ? checkOutputDir(root, root, DEFAULT_OUTDIR) : checkOutputDir(root, invocationCwd(), options.out);
  const loaded = loadSelected(options);
  const envs = options.localState ? loaded.map(withLocalState) : loaded;
  if (envs.length === 0) {
    info(`nothing to synthesize; ${relative}/ left as it was`);
    return 0;
  }
  let stacks: string[] = [];
  await replaceOutputDir(path.join(root, relative), async (staging) => {
    stacks = synthesizeInto(envs, staging, relative.split(path.sep).join("/"));
    await checkpoint();
  });
  const state = options.localState ? " (local state)" : "";
  info(`${paint("synthesized", "green")} ${stacks.length} stacks of ${envs.map((e) => e.name).join(", ")} into ${relative}/${state}`);
  return 0;
}
