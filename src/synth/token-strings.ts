import { TerraformElement, Token } from "cdktf";
import type { IConstruct } from "constructs";

/**
 * Above this size a string must not carry a Terraform token. CDKTF resolves a string that carries one by
 * splitting it into literal and token fragments, rescanning its tail at every `}`, twice per synthesis: cheap
 * for an ARN or a name, quadratic for a document of rules or dashboards. Bulky documents are rendered
 * token-free, with the few references passed beside them (see `valuesDocuments` in modules/addons/release.ts).
 */
export const TOKEN_STRING_LIMIT_BYTES = 4096;

/** A string over the limit that carries a token, where it sits. */
export interface LargeTokenString {
  /** Construct path of the Terraform element, e.g. `staging-platform/monitoring/kube-prometheus-stack/release`. */
  readonly construct: string;
  /** Where in the element's Terraform JSON, e.g. `resource.helm_release.x.values[0]`. */
  readonly key: string;
  readonly bytes: number;
}

/**
 * Every string over `limitBytes` in the Terraform configuration of the elements below `scope` that carries
 * an unresolved token, read before synthesis (after it, a token is already a `${…}` expression and cannot
 * be told apart from a literal that Helm or Terraform reads).
 */
export function largeTokenStrings(scope: IConstruct, limitBytes = TOKEN_STRING_LIMIT_BYTES): LargeTokenString[] {
  const found: LargeTokenString[] = [];
  const visit = (construct: string, value: unknown, key: string): void => {
    if (typeof value === "string") {
      const bytes = Buffer.byteLength(value);
      if (bytes > limitBytes && Token.isUnresolved(value)) found.push({ construct, key, bytes });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(construct, item, `${key}[${i}]`));
    } else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(construct, v, key ? `${key}.${k}` : k);
    }
  };
  for (const construct of scope.node.findAll()) {
    if (TerraformElement.isTerraformElement(construct)) visit(construct.node.path, construct.toTerraform(), "");
  }
  return found;
}
