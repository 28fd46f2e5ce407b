import { Token } from "cdktf";
import { ShipyardValidationError } from "../core";
import { isAccountRootArn, principalArnForCondition } from "./naming";

/** One condition of a statement (`test` is the operator, e.g. `StringEquals`). */
export interface PolicyCondition {
  test: string;
  variable: string;
  values: string[];
}

/**
 * A statement in the shape `DataAwsIamPolicyDocument` takes, with plain arrays so code and tests can
 * read it (the provider's type also admits unresolved tokens).
 */
export interface PolicyStatement {
  sid?: string;
  effect: "Allow" | "Deny";
  principals?: { type: string; identifiers: string[] }[];
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  condition?: PolicyCondition[];
}
type Condition = PolicyCondition[];

/**
 * A statement for principals that may not exist yet (roles of later stacks, service-linked roles):
 * `Principal: *` narrowed by `aws:PrincipalArn`, with the caller's account pinned. AWS validates
 * principals named in `Principal` when the policy is written, so a role created later can only be
 * named in a condition; a condition also survives the role being deleted and re-created.
 */
export function statementForRoles(
  sid: string,
  roleArns: readonly string[],
  actions: readonly string[],
  accountCondition: { variable: string; accountId: string },
  extra: Condition = [],
): PolicyStatement {
  if (roleArns.length === 0) throw new ShipyardValidationError(sid, "expected at least one principal ARN");
  return {
    sid,
    effect: "Allow",
    principals: [{ type: "AWS", identifiers: ["*"] }],
    actions: [...actions],
    resources: ["*"],
    condition: [
      { test: "ArnEquals", variable: "aws:PrincipalArn", values: unique(roleArns.map(principalArnForCondition)) },
      { test: "StringEquals", variable: accountCondition.variable, values: [accountCondition.accountId] },
      ...extra,
    ],
  };
}

/** Deny every listed action over plain HTTP. */
export function denyInsecureTransport(actions: readonly string[], resources: readonly string[]): PolicyStatement {
  return {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principals: [{ type: "*", identifiers: ["*"] }],
    actions: [...actions],
    resources: [...resources],
    condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
  };
}

/**
 * Refuses principal ARNs that hide who has access (`arn:aws:iam::<acct>:root`, a bare account id, `*`)
 * and strings that are not IAM role/user ARNs. Unresolved tokens (ARNs of resources in the same stack)
 * pass: they are roles by construction.
 */
export function validatePrincipalArns(path: string, arns: readonly string[], opts: { minimum?: number } = {}): void {
  if (arns.length < (opts.minimum ?? 0)) {
    throw new ShipyardValidationError(path, `expected at least ${opts.minimum} named principal(s), got ${arns.length}`);
  }
  arns.forEach((arn, i) => {
    if (Token.isUnresolved(arn)) return;
    if (arn === "*" || isAccountRootArn(arn)) {
      throw new ShipyardValidationError(`${path}[${i}]`, `${arn} names a whole account or everyone (expected a specific role or user ARN)`);
    }
    if (!/^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user|assumed-role)\/[\w+=,.@/-]+$/.test(arn)) {
      throw new ShipyardValidationError(`${path}[${i}]`, `${arn} is not an IAM role or user ARN`);
    }
  });
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
