import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../config";
import { dependencyOrder, readManifest } from "../../deploy/graph";
import { GRAPH_FORMATS, renderGraph, resourceGraph, stackGraph } from "../../graph/graph";
import { DEFAULT_OUTDIR } from "../../snapshot/snapshot";
import { synthesizeInto } from "../../synth/synthesize";
import { removeTemporary, trackTemporary } from "../cleanup";
import { loadSelected, projectRoot, type CommonOptions } from "../context";
import { checkFormat } from "./diff";

export interface GraphOptions extends CommonOptions {
  format: string;
  resources?: string;
}

export function runGraph(options: GraphOptions): number {
  const format = checkFormat(options.format, GRAPH_FORMATS);
  projectRoot();
  const envs = loadSelected(options);
  const dir = trackTemporary(mkdtempSync(path.join(tmpdir(), "shipyard-graph-")));
  try {
    synthesizeInto(envs, dir, DEFAULT_OUTDIR);
    const manifest = readManifest(dir);
    if (options.resources !== undefined) {
      const stack = manifest.get(options.resources);
      if (!stack)
        throw ConfigError.single(
          "shipyard",
          `unknown stack ${options.resources} (expected one of: ${[...manifest.keys()].join(", ")})`,
          "--resources",
        );
      const json = JSON.parse(readFileSync(path.join(dir, stack.synthesizedStackPath), "utf8")) as Record<string, unknown>;
      process.stdout.write(renderGraph(resourceGraph(json), format, stack.name));
    } else {
      const order = dependencyOrder(manifest, new Set(manifest.keys()));
      process.stdout.write(renderGraph(stackGraph(order.map((name) => manifest.get(name)!)), format, "shipyard"));
    }
    return 0;
  } finally {
    removeTemporary(dir);
  }
}
