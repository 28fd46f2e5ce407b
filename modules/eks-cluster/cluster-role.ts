import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";

export interface ClusterRoleProps {
  /** Role name, `<cluster>-cluster`. */
  readonly roleName: string;
  /** Permissions boundary attached to the role. */
  readonly permissionsBoundaryArn: string;
  /** The envelope-encryption key the control plane uses for Secrets. */
  readonly secretsKmsKeyArn: string;
}

/** What the EKS service may do with the cluster role: assume it and tag the session (EKS user guide's trust policy). */
export const CLUSTER_ROLE_TRUST_ACTIONS = ["sts:AssumeRole", "sts:TagSession"] as const;

export const EKS_CLUSTER_POLICY_ARN = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy";

/**
 * The role the EKS service assumes for the control plane: AmazonEKSClusterPolicy as its only managed policy,
 * plus an inline grant on the one key that encrypts Kubernetes Secrets (envelope encryption calls KMS as
 * this role).
 */
export class ClusterRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly role: IamRole;
  /** Attachments the cluster must wait for, or EKS cannot create network interfaces. */
  public readonly attachments: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ClusterRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "EksControlPlane",
          effect: "Allow",
          // EKS tags the sessions it opens as the cluster role (as its documented trust policy allows).
          actions: [...CLUSTER_ROLE_TRUST_ACTIONS],
          principals: [{ type: "Service", identifiers: ["eks.amazonaws.com"] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: "EKS control plane",
      assumeRolePolicy: trust.json,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    const managed = new IamRolePolicyAttachment(this, "cluster-policy", { role: this.role.name, policyArn: EKS_CLUSTER_POLICY_ARN });
    const encryption = new DataAwsIamPolicyDocument(this, "encryption", {
      statement: [
        {
          sid: "SecretsEnvelopeEncryption",
          effect: "Allow",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
          resources: [props.secretsKmsKeyArn],
        },
      ],
    });
    const inline = new IamRolePolicy(this, "encryption-policy", {
      name: "secrets-envelope-encryption",
      role: this.role.id,
      policy: encryption.json,
    });
    this.attachments = [managed, inline];
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
  }
}
