import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ShipyardValidationError } from "../core";
import { roleName } from "./naming";
import { type PolicyStatement, validatePrincipalArns } from "./policy";

/** AWS managed policies the deployer may attach to Shipyard roles (cluster, node, add-on roles). */
export const DEFAULT_ATTACHABLE_MANAGED_POLICIES: readonly string[] = [
  "AmazonEKSClusterPolicy",
  "AmazonEKSVPCResourceController",
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonSSMManagedInstanceCore",
  "service-role/AmazonEBSCSIDriverPolicy",
];

/** Services the deployer may pass Shipyard roles to. */
export const PASS_ROLE_SERVICES: readonly string[] = ["eks.amazonaws.com", "pods.eks.amazonaws.com", "vpc-flow-logs.amazonaws.com"];

/** Service-linked roles the deployer may create (first cluster, node group, load balancer in an account). */
export const SERVICE_LINKED_ROLE_SERVICES: readonly string[] = [
  "eks.amazonaws.com",
  "eks-nodegroup.amazonaws.com",
  "autoscaling.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "spot.amazonaws.com",
];

export interface DeployerRoleProps {
  /** Name prefix, `shipyard-<env>`: the role is `<name>-deployer`, its policies `<name>-deployer-<part>`. */
  readonly name: string;
  /** The Jenkins agent role (or user) that assumes the deployer role. */
  readonly trustedPrincipalArn: string;
  /** `sts:ExternalId` the trusted principal must present. @default none */
  readonly externalId?: string;
  /** The permissions boundary the deployer carries and must attach to every role it creates. */
  readonly permissionsBoundaryArn: string;
  /**
   * The identity policies by part name, each under IAM's 6,144-character limit. Computed from the types
   * the deployer's layers contain (`src/policy/deployer.ts`), never written by hand. A stack that
   * knows them only later calls `attach()`. @default none (a role that can do nothing)
   */
  readonly policies?: Readonly<Record<string, readonly PolicyStatement[]>>;
  /** Session length in seconds (3600-43200); a prod cluster with node groups can take over an hour. @default 7200 */
  readonly maxSessionDurationSeconds?: number;
}

/**
 * The role Jenkins assumes to deploy one environment (`shipyard-<env>-deployer`), created in the
 * bootstrap layer by an administrator. It trusts exactly the CI principal (with an external id when
 * configured), carries the permissions boundary, and holds the policies it is given; `attach()` adds
 * them after construction, once the layers it deploys (and so the types it needs) are known. The
 * boundary forbids the deployer to change itself, its policies or the boundary.
 */
export class DeployerRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  /** Managed policy ARNs by part. */
  public readonly policyArns: Record<string, string> = {};
  /** Statements by part, for tests and reviews. */
  public readonly statements: Record<string, readonly PolicyStatement[]> = {};
  private readonly role: IamRole;
  private readonly baseName: string;

  constructor(scope: Construct, id: string, props: DeployerRoleProps) {
    super(scope, id);
    validatePrincipalArns("trustedPrincipalArn", [props.trustedPrincipalArn]);
    const session = props.maxSessionDurationSeconds ?? 7200;
    if (!Number.isInteger(session) || session < 3600 || session > 43200) {
      throw new ShipyardValidationError("maxSessionDurationSeconds", `expected 3600-43200 seconds, got ${session}`);
    }
    if (props.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(props.externalId)) {
      throw new ShipyardValidationError("externalId", "expected 2-1224 characters: letters, digits and +=,.@:/-");
    }
    const name = roleName(props.name, "deployer");
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "Jenkins",
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "AWS", identifiers: [props.trustedPrincipalArn] }],
          condition: props.externalId ? [{ test: "StringEquals", variable: "sts:ExternalId", values: [props.externalId] }] : undefined,
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name,
      description: `Jenkins deploys ${props.name} with this role`,
      assumeRolePolicy: trust.json,
      permissionsBoundary: props.permissionsBoundaryArn,
      maxSessionDuration: session,
      tags: { Name: name },
    });
    this.baseName = name;
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    if (props.policies) this.attach(props.policies);
  }

  /** Creates and attaches one managed policy per part. At most 10 parts (IAM's default per-role quota). */
  public attach(policies: Readonly<Record<string, readonly PolicyStatement[]>>): void {
    const parts = Object.entries(policies);
    if (parts.length + Object.keys(this.policyArns).length > 10) {
      throw new ShipyardValidationError(
        "policies",
        `expected at most 10 managed policies (IAM's default quota per role), got ${parts.length}`,
      );
    }
    for (const [part, statements] of parts) {
      if (!/^[a-z0-9-]+$/.test(part) || part in this.policyArns)
        throw new ShipyardValidationError(`policies.${part}`, "expected a unique lower-case part name");
      if (statements.some((s) => (s.actions ?? []).some((a) => a === "*" || a.endsWith(":*")))) {
        throw new ShipyardValidationError(`policies.${part}`, "a deployer policy names specific actions (no * or service:*)");
      }
      const document = new DataAwsIamPolicyDocument(this, `${part}-document`, { statement: [...statements] });
      const policy = new IamPolicy(this, `${part}-policy`, {
        name: `${this.baseName}-${part}`,
        description: `${this.baseName}: ${part} (computed from the types the deployer applies)`,
        policy: document.json,
        tags: { Name: `${this.baseName}-${part}` },
      });
      new IamRolePolicyAttachment(this, `${part}-attachment`, { role: this.role.name, policyArn: policy.arn });
      this.policyArns[part] = policy.arn;
      this.statements[part] = statements;
    }
  }
}
