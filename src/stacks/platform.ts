import type { Construct } from "constructs";
import type { ClusterStack } from "./cluster";
import type { FoundationStack } from "./foundation";
import type { NetworkStack } from "./network";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

export interface PlatformStackProps extends ShipyardStackProps {
  readonly foundation: FoundationStack;
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
}

/** Helm add-ons and cluster-wide Kubernetes objects. */
export class PlatformStack extends ShipyardStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "platform", props);
  }
}
