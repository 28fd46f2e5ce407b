import * as path from "node:path";
import { synthesize } from "../../synth/synthesize";
import { DEFAULT_OUTDIR } from "../../snapshot/snapshot";
import { ConfigError } from "../../config";
import { info, loadSelected, paint, projectRoot, type CommonOptions } from "../context";

export interface SynthOptions extends CommonOptions {
  out: string;
}

export function runSynth(options: SynthOptions): number {
  const root = projectRoot();
  const out = options.out ?? DEFAULT_OUTDIR;
  const relative = path.relative(root, path.resolve(root, out));
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) {
    throw ConfigError.single("shipyard", `"${out}" is not a folder inside the project (expected e.g. cdktf.out)`, "--out");
  }
  const envs = loadSelected(options);
  const stacks = synthesize(envs, { outdir: relative, projectRoot: root });
  info(`${paint("synthesized", "green")} ${stacks.length} stacks of ${envs.map((e) => e.name).join(", ")} into ${relative}/`);
  return 0;
}
