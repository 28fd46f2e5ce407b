import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable } from "cdktf";

/**
 * The only managed policies a node holds: joining the cluster, pulling images, and SSM Session Manager.
 * The CNI policy is deliberately absent: vpc-cni has its own IRSA role.
 */
export const NODE_ROLE_POLICY_ARNS = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
] as const;

export interface NodeRoleProps {
  /** `shipyard-<env>-node`. */
  readonly roleName: string;
  /** Permissions boundary attached to the role. */
  readonly permissionsBoundaryArn: string;
}

/** The EC2 role of every managed node group (EKS creates its access entry itself). */
export class NodeRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  /** The policy attachments; node groups wait for them. */
  public readonly attachments: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: NodeRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "Ec2Nodes",
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }],
        },
      ],
    });
    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: "EKS managed node groups",
      assumeRolePolicy: trust.json,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    this.attachments = NODE_ROLE_POLICY_ARNS.map(
      (arn) => new IamRolePolicyAttachment(this, arn.split("/").pop()!, { role: role.name, policyArn: arn }),
    );
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
