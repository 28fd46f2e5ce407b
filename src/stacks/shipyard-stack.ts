import { Aspects, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config";
import { configureBackend, type BackendContext } from "./backend";
import { PreventDestroy } from "./prevent-destroy";

/** The layers, in dependency order; destroy runs in reverse. */
export const LAYERS = ["bootstrap", "foundation", "network", "cluster", "platform", "workloads"] as const;
export type Layer = (typeof LAYERS)[number];

export interface ShipyardStackProps extends BackendContext {
  readonly env: EnvironmentConfig;
}

/**
 * One layer of one environment, `<env>-<layer>`: its state backend, the AWS provider pinned to the
 * environment's account with default tags, and `prevent_destroy` on stateful resources when the tier asks.
 */
export abstract class ShipyardStack extends TerraformStack {
  public readonly env: EnvironmentConfig;
  public readonly layer: Layer;
  public readonly aws: AwsProvider;

  protected constructor(scope: Construct, layer: Layer, props: ShipyardStackProps) {
    const stackName = `${props.env.name}-${layer}`;
    super(scope, stackName);
    this.env = props.env;
    this.layer = layer;
    configureBackend(this, stackName, props.env.state, props);
    this.addOverride("terraform.required_version", ">= 1.10.0");
    this.aws = new AwsProvider(this, "aws", {
      region: props.env.region,
      allowedAccountIds: [props.env.account],
      defaultTags: [{ tags: stackTags(props.env, layer) }],
    });
    // Aspects on the App are not applied by cdktf; each stack adds its own.
    if (props.env.protection.preventDestroy) Aspects.of(this).add(new PreventDestroy());
  }

  /** `shipyard-<env>-<suffix>`: the name prefix for this environment's AWS resources. */
  protected resourceName(suffix?: string): string {
    return suffix ? `${this.env.clusterName}-${suffix}` : this.env.clusterName;
  }
}

export function stackTags(env: EnvironmentConfig, layer: Layer): Record<string, string> {
  return {
    ...env.tags,
    "shipyard:environment": env.name,
    "shipyard:tier": env.tier,
    "shipyard:layer": layer,
    "managed-by": "shipyard",
  };
}
