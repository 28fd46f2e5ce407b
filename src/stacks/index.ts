import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import type { BackendContext } from "./backend";
import { ClusterStack } from "./cluster";
import { FoundationStack } from "./foundation";
import { NetworkStack } from "./network";
import { PlatformStack } from "./platform";
import { WorkloadsStack } from "./workloads";

export interface EnvironmentStacks {
  readonly foundation: FoundationStack;
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly platform: PlatformStack;
  readonly workloads: WorkloadsStack;
}

/** Builds the five layer stacks of one environment, wired with cross-stack references. */
export function buildEnvironment(scope: Construct, env: EnvironmentConfig, ctx: BackendContext): EnvironmentStacks {
  const base = { env, outdir: ctx.outdir };
  const foundation = new FoundationStack(scope, base);
  const network = new NetworkStack(scope, { ...base, foundation });
  const cluster = new ClusterStack(scope, { ...base, foundation, network });
  const platform = new PlatformStack(scope, { ...base, foundation, network, cluster });
  const workloads = new WorkloadsStack(scope, { ...base, foundation, cluster, platform });
  // Explicit ordering even where no value flows yet, so deploy and destroy follow the layer order.
  network.addDependency(foundation);
  cluster.addDependency(network);
  platform.addDependency(cluster);
  workloads.addDependency(platform);
  return { foundation, network, cluster, platform, workloads };
}

export { LAYERS, type Layer, ShipyardStack } from "./shipyard-stack";
export { FoundationStack, NetworkStack, ClusterStack, PlatformStack, WorkloadsStack };
