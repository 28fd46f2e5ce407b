import { Aspects, TerraformDataSource, TerraformElement, TerraformResource, TerraformStack } from "cdktf";
import type { Construct, Node } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config";
import { configureBackend, type BackendContext } from "./backend";
import { PreventDestroy } from "./prevent-destroy";
import { addressName, duplicateAddresses } from "./addresses";
import { resolveTokens } from "./tokens";
import { ShipyardValidationError } from "../../modules/core";

/** The layers, in dependency order; destroy runs in reverse. */
export const LAYERS = ["bootstrap", "foundation", "network", "cluster", "platform", "workloads"] as const;
export type Layer = (typeof LAYERS)[number];

/** The layers the deployer role applies (`shipyard deploy`); `bootstrap` is an administrator's, once. */
export const DEPLOYER_LAYERS = LAYERS.filter((l): l is Exclude<Layer, "bootstrap"> => l !== "bootstrap");

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
    configureBackend(this, stackName, props.env, props);
    this.addOverride("terraform.required_version", ">= 1.10.0");
    this.aws = new AwsProvider(this, "aws", {
      region: props.env.region,
      allowedAccountIds: [props.env.account],
      defaultTags: [{ tags: stackTags(props.env, layer) }],
    });
    // Aspects on the App are not applied by cdktf; each stack adds its own.
    if (props.env.protection.preventDestroy) Aspects.of(this).add(new PreventDestroy());
  }

  /**
   * Readable, stable logical IDs (`aws_eks_node_group.general`) instead of CDKTF's construct path plus
   * hash; the rule is in `./addresses.ts`.
   */
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const construct = TerraformElement.isTerraformElement(element) ? element : element.scopes[element.scopes.length - 1]!;
    return addressName(construct, this, resourceTypeOf(construct), this.layer ?? layerOf(this.node.id));
  }

  /**
   * CDKTF's prepare pass resolves every element of every stack once before synthesis, only for what
   * resolving a token does there: registering cross-stack references (an output here, a remote state in the
   * consumer). Only the parts that hold a token are resolved (`resolveTokens`): the pass was about a third
   * of a synthesis. The snapshot and determinism tests hold the output byte-identical.
   */
  public override prepareStack(): void {
    this.ensureBackendExists();
    for (const element of ownElements(this)) resolveTokens(this, element.toTerraform(), true);
  }

  /** Refuses two resources (or data sources) of one type with the same address. */
  public override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    const elements = this.node
      .findAll()
      .filter(
        (c): c is TerraformResource | TerraformDataSource =>
          TerraformResource.isTerraformResource(c) || TerraformDataSource.isTerraformDataSource(c),
      )
      .filter((c) => c.cdktfStack === this)
      .map((c) => ({
        path: c.node.path,
        address: `${TerraformDataSource.isTerraformDataSource(c) ? "data." : ""}${c.terraformResourceType}.${c.friendlyUniqueId}`,
      }));
    const duplicates = duplicateAddresses(elements);
    if (duplicates.size > 0) {
      const lines = [...duplicates].map(([address, paths]) => `${address} is claimed by ${paths.join(" and ")}`);
      throw new ShipyardValidationError(
        `stack ${this.node.id}`,
        `${lines.join("; ")} (expected one address per resource: give one of them a different construct id)`,
      );
    }
    return super.toTerraform();
  }

  /** `shipyard-<env>-<suffix>`: the name prefix for this environment's AWS resources. */
  protected resourceName(suffix?: string): string {
    return suffix ? `${this.env.clusterName}-${suffix}` : this.env.clusterName;
  }
}

/** The Terraform elements of `stack` itself, not of stacks nested in it (CDKTF's own walk). */
function ownElements(scope: { node: Node }, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(scope)) into.push(scope);
  for (const child of scope.node.children) if (!TerraformStack.isStack(child)) ownElements(child, into);
  return into;
}

function resourceTypeOf(construct: unknown): string | undefined {
  return TerraformResource.isTerraformResource(construct) || TerraformDataSource.isTerraformDataSource(construct)
    ? construct.terraformResourceType
    : undefined;
}

/** The layer of a stack named `<env>-<layer>` (needed before the constructor has set `layer`). */
function layerOf(stackName: string): string | undefined {
  return LAYERS.find((layer) => stackName.endsWith(`-${layer}`));
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
