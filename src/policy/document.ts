import type { PolicyStatement } from "../../modules/iam";

/** An IAM policy document as AWS reads it. */
export interface IamPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: Record<string, unknown>[];
}

/**
 * The JSON IAM evaluates for statements in `DataAwsIamPolicyDocument`'s shape (what the provider's
 * `aws_iam_policy_document` renders), for the simulator and for size checks.
 */
export function toIamDocument(statements: readonly PolicyStatement[]): IamPolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => {
      const out: Record<string, unknown> = { Effect: s.effect };
      if (s.sid) out.Sid = s.sid;
      if (s.principals) {
        const principal: Record<string, string[]> = {};
        for (const p of s.principals) {
          if (p.type === "*") return { ...out, Principal: "*", ...rest(s) };
          principal[p.type] = [...(principal[p.type] ?? []), ...p.identifiers];
        }
        out.Principal = principal;
      }
      return { ...out, ...rest(s) };
    }),
  };
}

function rest(s: PolicyStatement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.actions) out.Action = s.actions;
  if (s.notActions) out.NotAction = s.notActions;
  out.Resource = s.resources ?? ["*"];
  if (s.condition && s.condition.length > 0) {
    const condition: Record<string, Record<string, string[]>> = {};
    for (const c of s.condition) {
      const op = (condition[c.test] ??= {});
      op[c.variable] = [...(op[c.variable] ?? []), ...c.values];
    }
    out.Condition = condition;
  }
  return out;
}

/** Characters IAM counts against a managed policy's 6,144 limit (whitespace is not counted). */
export function policySize(statements: readonly PolicyStatement[]): number {
  return JSON.stringify(toIamDocument(statements)).length;
}
