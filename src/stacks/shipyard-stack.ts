import { Aspects, TerraformDataSource, TerraformElement, TerraformResource, TerraformStack } from "cdktf";
import type { Construct, Node } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { EnvironmentConfig } from "../config";
import { configureBackend, type BackendContext } from "./backend";
import { PreventDestroy } from "./prevent-destroy";
import { addressName, duplicateAddresses } from "./addresses";
import { ownElements, stackJson } from "./stack-json";
import { prepareTokens } from "./tokens";
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
   * consumer). Only the parts that may hold a token are resolved (`prepareTokens`): the pass was about a third
   * of a synthesis. The snapshot and determinism tests hold the output byte-identical.
   */
  public override prepareStack(): void {
    this.ensureBackendExists();
    const configs = new Map<TerraformElement, unknown>();
    for (const element of ownElements(this)) {
      const config: unknown = element.toTerraform();
      configs.set(element, config);
      prepareTokens(this, config);
    }
    // Aspects run after this pass (at synthesis) and may change an element, so only a stack without
    // any keeps the configurations for toTerraform. Nothing else changes an existing element in
    // between: the cross-stack references other stacks register add outputs and remote states.
    this.prepared = this.node.findAll().some((c) => Aspects.of(c).all.length > 0) ? undefined : configs;
  }

  /** Each element's configuration from the prepare pass, for the next toTerraform (see prepareStack). */
  private prepared: Map<TerraformElement, unknown> | undefined;

  /** The stack's own `addOverride` values, nested by path as CDKTF keeps them (for `stackJson`). */
  private readonly overrides: Record<string, unknown> = {};

  public override addOverride(path: string, value: unknown): void {
    super.addOverride(path, value);
    const parts = path.split(".");
    let at = this.overrides;
    for (const part of parts.slice(0, -1)) {
      const next = at[part];
      at = (at[part] = next !== null && typeof next === "object" && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    at[parts[parts.length - 1]!] = value;
  }

  /** Refuses two resources (or data sources) of one type with the same address, then renders the stack (`stackJson`). */
  public override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    const elements = ownElements(this);
    const addresses = elements
      .filter(
        (c): c is TerraformResource | TerraformDataSource =>
          TerraformResource.isTerraformResource(c) || TerraformDataSource.isTerraformDataSource(c),
      )
      .map((c) => ({
        path: c.node.path,
        address: `${TerraformDataSource.isTerraformDataSource(c) ? "data." : ""}${c.terraformResourceType}.${c.friendlyUniqueId}`,
      }));
    const duplicates = duplicateAddresses(addresses);
    if (duplicates.size > 0) {
      const lines = [...duplicates].map(([address, paths]) => `${address} is claimed by ${paths.join(" and ")}`);
      throw new ShipyardValidationError(
        `stack ${this.node.id}`,
        `${lines.join("; ")} (expected one address per resource: give one of them a different construct id)`,
      );
    }
    const prepared = this.prepared;
    this.prepared = undefined;
    return stackJson(this, elements, this.overrides, (element) => (prepared?.has(element) ? prepared.get(element) : element.toTerraform()));
  }

  /** `shipyard-<env>-<suffix>`: the name prefix for this environment's AWS resources. */
  protected resourceName(suffix?: string): string {
    return suffix ? `${this.env.clusterName}-${suffix}` : this.env.clusterName;
  }
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
