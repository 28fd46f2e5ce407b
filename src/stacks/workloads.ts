import type { Construct } from "constructs";
import type { ClusterStack } from "./cluster";
import type { FoundationStack } from "./foundation";
import type { PlatformStack } from "./platform";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

export interface WorkloadsStackProps extends ShipyardStackProps {
  readonly foundation: FoundationStack;
  readonly cluster: ClusterStack;
  readonly platform: PlatformStack;
}

/** The team applications: Deployments, Services, Ingresses, autoscaling and monitoring objects. */
export class WorkloadsStack extends ShipyardStack {
  constructor(scope: Construct, props: WorkloadsStackProps) {
    super(scope, "workloads", props);
  }
}
