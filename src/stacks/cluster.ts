import type { Construct } from "constructs";
import type { FoundationStack } from "./foundation";
import type { NetworkStack } from "./network";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

export interface ClusterStackProps extends ShipyardStackProps {
  readonly foundation: FoundationStack;
  readonly network: NetworkStack;
}

/** The EKS control plane, its access entries and add-ons, node groups and IRSA roles. */
export class ClusterStack extends ShipyardStack {
  constructor(scope: Construct, props: ClusterStackProps) {
    super(scope, "cluster", props);
  }
}
