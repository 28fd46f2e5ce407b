/**
 * What IAM cannot express in a permissions boundary: whom a role trusts. The boundary limits what a
 * role created by the deployer may do, not who may assume it, so the synthesized trust policies are
 * checked instead: every role Shipyard creates trusts only AWS service principals, this account's EKS
 * OIDC providers, or the configured CI principal (the deployer's trust), nothing else.
 */

/** One trust problem: the role, and the principal it should not trust. */
export interface TrustFinding {
  readonly stack: string;
  readonly role: string;
  readonly principal: string;
}

interface PolicyStatementJson {
  effect?: string;
  principals?: { type: string; identifiers: string[] }[];
}

/**
 * Checks the trust policies of the `aws_iam_role` resources of one synthesized stack. Policies are read
 * from the `aws_iam_policy_document` data source the role references.
 */
export function trustFindings(
  stack: string,
  json: {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
    data?: Record<string, Record<string, Record<string, unknown>>>;
  },
  env: { readonly account: string; readonly region: string; readonly ciPrincipal: string },
): TrustFinding[] {
  const findings: TrustFinding[] = [];
  const docs = (json.data?.aws_iam_policy_document ?? {}) as Record<string, { statement?: PolicyStatementJson[] }>;
  for (const role of Object.values(json.resource?.aws_iam_role ?? {})) {
    const name = String(role.name ?? "?");
    const ref = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(String(role.assume_role_policy ?? ""));
    if (!ref) {
      findings.push({ stack, role: name, principal: "trust policy not built from a policy document (cannot be checked)" });
      continue;
    }
    for (const statement of docs[ref[1]!]?.statement ?? []) {
      if ((statement.effect ?? "Allow") !== "Allow") continue;
      for (const p of statement.principals ?? []) {
        for (const id of p.identifiers) {
          if (!trusted(p.type, id, env)) findings.push({ stack, role: name, principal: `${p.type}:${id}` });
        }
      }
    }
  }
  return findings;
}

function trusted(type: string, id: string, env: { account: string; region: string; ciPrincipal: string }): boolean {
  if (type === "Service") return /^[a-z0-9.-]+\.amazonaws\.com$/.test(id);
  if (type === "Federated") {
    return (
      /^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/.test(id) ||
      id.startsWith(`arn:aws:iam::${env.account}:oidc-provider/oidc.eks.${env.region}.amazonaws.com/id/`)
    );
  }
  if (type === "AWS") return id === env.ciPrincipal;
  return false;
}
