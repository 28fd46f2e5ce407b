import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { deepMerge } from "cdktf/lib/util";
import type { Node } from "constructs";
import { resolveTokens } from "./tokens";

/** The Terraform elements of a stack itself, not of stacks nested in it (the walk CDKTF's stacks make). */
export function ownElements(scope: { node: Node }, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(scope)) into.push(scope);
  for (const child of scope.node.children) if (!TerraformStack.isStack(child)) ownElements(child, into);
  return into;
}

/**
 * A stack's Terraform JSON, as `TerraformStack.toTerraform` builds it (CDKTF's metadata block, the
 * outputs by construct path, each element's configuration, then the stack's overrides), with each
 * resolution through `resolveTokens`: CDKTF resolves every element and then the merged whole once more,
 * a walk of every literal twice. `overrides` are the stack's `addOverride` values as CDKTF keeps them;
 * `configOf` gives an element's configuration (its `toTerraform()`, or that of the prepare pass when
 * nothing can have changed it since).
 */
export function stackJson(
  stack: TerraformStack,
  elements: readonly TerraformElement[],
  overrides: Record<string, unknown>,
  configOf: (element: TerraformElement) => unknown,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    version: stack.node.tryGetContext("cdktfVersion"),
    stackName: stack.node.id,
    // Backends overwrite these two through their own metadata.
    backend: "local",
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  for (const element of elements) deepMerge(metadata, resolveTokens(stack, element.toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    const path = element.node.path.split("/");
    deepMerge(
      outputs,
      path.reduceRight<unknown>((inner, part) => ({ [part]: inner }), element.friendlyUniqueId),
    );
  }
  const json: Record<string, unknown> = { "//": { metadata, outputs } };
  for (const element of elements) deepMerge(json, resolveTokens(stack, configOf(element)));
  deepMerge(json, overrides);
  return resolveTokens(stack, json) as Record<string, unknown>;
}
