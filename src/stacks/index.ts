import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config";
import type { BackendContext } from "./backend";
import { BootstrapStack } from "./bootstrap";
import { ClusterStack } from "./cluster";
import { FoundationStack } from "./foundation";
import { NetworkStack } from "./network";
import { PlatformStack } from "./platform";
import { WorkloadsStack } from "./workloads";

export interface EnvironmentStacks {
  readonly bootstrap: BootstrapStack;
  readonly foundation: FoundationStack;
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly platform: PlatformStack;
  readonly workloads: WorkloadsStack;
}

/** Builds the layer stacks of one environment, wired with cross-stack references. */
export function buildEnvironment(scope: Construct, env: EnvironmentConfig, ctx: BackendContext): EnvironmentStacks {
  const base = { env, outdir: ctx.outdir };
  const bootstrap = new BootstrapStack(scope, base);
  const foundation = new FoundationStack(scope, base);
  const network = new NetworkStack(scope, { ...base, foundation });
  const cluster = new ClusterStack(scope, { ...base, foundation, network });
  const platform = new PlatformStack(scope, { ...base, foundation, network, cluster });
  const workloads = new WorkloadsStack(scope, base);
  // Explicit ordering even where no value flows (workloads reads nothing from the earlier layers), so
  // deploy and destroy follow the layer order.
  foundation.addDependency(bootstrap);
  network.addDependency(foundation);
  cluster.addDependency(network);
  platform.addDependency(cluster);
  workloads.addDependency(platform);
  // The deployer's policies come from the types the layers it applies contain, so they are built last.
  bootstrap.authorize([foundation, network, cluster, platform, workloads]);
  return { bootstrap, foundation, network, cluster, platform, workloads };
}

export { DEPLOYER_LAYERS, LAYERS, type Layer, ShipyardStack } from "./shipyard-stack";
export { BootstrapStack, FoundationStack, NetworkStack, ClusterStack, PlatformStack, WorkloadsStack };
