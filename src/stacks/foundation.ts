import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AlertsTopic } from "../../modules/alerts";
import { Repositories } from "../../modules/ecr";
import { alertsTopicName, backupBucketName, roleArn, ssmBucketName, unique } from "../../modules/iam";
import { type KeyPurpose, PlatformKeys } from "../../modules/kms";
import { SecureBucket } from "../../modules/s3-bucket";
import { Secrets } from "../../modules/secrets";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

/** Velero's object permissions on the backup bucket (from the Velero AWS plugin's documented policy). */
const VELERO_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];

/**
 * What later layers read from the foundation layer: typed outputs, each a cross-stack reference (an output
 * here, a remote-state read in the consumer) once another stack uses it.
 */
export interface FoundationOutputs {
  /**
   * Customer key ARNs by purpose: `logs` for CloudWatch Logs groups `/aws/<service>/shipyard-<env>/...` (flow
   * logs, control plane), `cluster-secrets` for EKS envelope encryption (the cluster role), `ebs` for volumes
   * (launch templates, the EBS CSI driver, Velero), `s3` for the backup and SSM staging buckets' objects,
   * `secrets` for Secrets Manager values, `sns` for the alerts topic, `ecr` for the registries.
   */
  readonly keyArns: Readonly<Record<KeyPurpose, string>>;
  /** Secrets Manager names by short name (from `secrets.items`): `shipyard-<env>/<name>`. */
  readonly secretNames: Readonly<Record<string, string>>;
  /** `shipyard-<env>-alerts`. */
  readonly alertsTopicArn: string;
  /** `shipyard-<env>-backups-<account>`: Velero's bucket. */
  readonly backupBucketName: string;
}

/**
 * Account-level building blocks every other layer uses, applied by the deployer: KMS keys per purpose,
 * ECR repositories, Secrets Manager secrets (no values), the alerts SNS topic, the Velero backup bucket
 * and the bucket Ansible's SSM connection stages files in. The boundary, the deployer and the audit trail
 * live in the bootstrap layer, out of the deployer's reach.
 *
 * Roles of later layers are referenced by deterministic ARNs (`modules/iam/naming.ts`):
 * `shipyard-<env>-{cluster,node,ebs-csi,external-secrets,alertmanager,velero}`; every one of them must
 * carry the boundary `arn:aws:iam::<account>:policy/shipyard-<env>-boundary`.
 */
export class FoundationStack extends ShipyardStack implements FoundationOutputs {
  /** The keys (their policies are read by the deployer-sufficiency analysis). */
  public readonly keys: PlatformKeys;
  public readonly keyArns: Readonly<Record<KeyPurpose, string>>;
  /** ECR repository URLs by repository name (from `ecr.repositories`). */
  public readonly repositoryUrls: Readonly<Record<string, string>>;
  public readonly repositoryArns: Readonly<Record<string, string>>;
  /** Secret ARNs by short name (from `secrets.items`); secrets are named `shipyard-<env>/<name>`. */
  public readonly secretArns: Readonly<Record<string, string>>;
  public readonly secretNames: Readonly<Record<string, string>>;
  public readonly alertsTopicArn: string;
  public readonly backupBucketName: string;
  public readonly backupBucketArn: string;
  /** Bucket Ansible's SSM connection stages files in (`shipyard-<env>-ssm-<account>`). */
  public readonly ssmBucketName: string;

  constructor(scope: Construct, props: ShipyardStackProps) {
    super(scope, "foundation", props);
    const { env } = props;
    const prefix = this.resourceName();
    const account = env.account;
    const role = (name: Parameters<typeof roleArn>[2]) => roleArn(account, prefix, name);

    const admins = [...env.access.admins];
    // The deployer applies this layer, so it administers the keys it creates (KMS refuses a policy that
    // would lock out its author); the boundary still denies it deletion. The break-glass role is the way
    // back if the admins are gone.
    const keyAdministrators = unique([...admins, env.access.breakGlass, role("deployer")]);

    const keys = new PlatformKeys(this, "keys", {
      name: prefix,
      accountId: account,
      region: env.region,
      administratorArns: keyAdministrators,
      deletionWindowDays: env.protection.kmsDeletionWindowDays,
      // Identity policies of this environment's roles (all bounded) may grant key use, e.g. the EBS CSI driver's.
      identityPolicyPrincipalPatterns: [`arn:aws:iam::${account}:role/${prefix}-*`],
      clusterSecrets: { clusterRoleArn: role("cluster") },
      // Velero restores snapshots of encrypted volumes, so it needs the EBS key too; the CSI driver
      // manages grants for the volumes it attaches.
      ebs: { userRoleArns: [role("node"), role("ebs-csi"), role("velero")], grantManagerRoleArns: [role("ebs-csi")] },
      ecr: { userRoleArns: [role("deployer"), role("node")] },
      // Velero's backups, and Ansible's SSM staging files: written by the controller (deployer or an
      // admin), read and written by the nodes.
      s3: { userRoleArns: [role("velero"), role("deployer"), role("node"), ...admins] },
      secrets: { userRoleArns: [role("external-secrets"), ...admins] },
      sns: { publisherRoleArns: [role("alertmanager")] },
    });

    const expiration = env.backup.bucketExpirationDays;
    const backups = new SecureBucket(this, "backups", {
      bucketName: backupBucketName(prefix, account),
      kmsKeyArn: keys.s3.keyArn,
      trustedPrincipalArns: admins,
      grants: [
        { sid: "VeleroBucket", roleArns: [role("velero")], actions: ["s3:ListBucket"], resources: ["bucket"] },
        { sid: "VeleroObjects", roleArns: [role("velero")], actions: VELERO_OBJECT_ACTIONS, resources: ["*"] },
      ],
      lifecycle: {
        // S3 moves objects to STANDARD_IA only after 30 days.
        transitions: expiration > 30 ? [{ days: 30, storageClass: "STANDARD_IA" }] : [],
        expirationDays: expiration,
        noncurrentVersionExpirationDays: Math.min(expiration, 30),
      },
    });

    // Ansible reaches nodes over SSM Session Manager (community.aws.aws_ssm), which stages module files
    // in a bucket: the controller (the deployer role in Jenkins, or an admin) writes, the node reads.
    const ssmStaging = new SecureBucket(this, "ssm-staging", {
      bucketName: ssmBucketName(env.clusterName, env.account),
      kmsKeyArn: keys.s3.keyArn,
      trustedPrincipalArns: admins,
      grants: [
        { sid: "ControllerBucket", roleArns: [role("deployer")], actions: ["s3:ListBucket"], resources: ["bucket"] },
        {
          sid: "ControllerObjects",
          roleArns: [role("deployer")],
          actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          resources: ["*"],
        },
        { sid: "NodeObjects", roleArns: [role("node")], actions: ["s3:GetObject", "s3:PutObject"], resources: ["*"] },
      ],
      // Staged files are useless after the run that wrote them.
      lifecycle: { transitions: [], expirationDays: 1, noncurrentVersionExpirationDays: 1 },
    });

    const repositories = new Repositories(this, "repositories", {
      repositories: env.ecr.repositories,
      kmsKeyArn: keys.ecr.keyArn,
      pullRoleArns: [role("node")],
      pushRoleArns: [role("deployer"), ...env.ecr.pushPrincipals],
      untaggedExpiryDays: env.ecr.untaggedExpiryDays,
      keepReleaseTags: env.ecr.keepReleaseTags,
    });

    const secrets = new Secrets(this, "secrets", {
      namePrefix: prefix,
      items: env.secrets.items,
      kmsKeyArn: keys.secrets.keyArn,
      recoveryWindowDays: env.secrets.recoveryWindowDays,
      readerRoleArns: [role("external-secrets")],
      administratorArns: admins,
    });

    const alerts = new AlertsTopic(this, "alerts", {
      topicName: alertsTopicName(prefix),
      kmsKeyArn: keys.sns.keyArn,
      publisherRoleArns: [role("alertmanager")],
    });

    this.keys = keys;
    this.keyArns = keys.keyArns;
    this.repositoryUrls = repositories.repositoryUrls;
    this.repositoryArns = repositories.repositoryArns;
    this.secretArns = secrets.secretArns;
    this.secretNames = secrets.secretNames;
    this.alertsTopicArn = alerts.topicArn;
    this.backupBucketName = backups.bucketName;
    this.backupBucketArn = backups.bucketArn;
    this.ssmBucketName = ssmStaging.bucketName;

    // For people and Jenkins (cross-stack references add their own outputs).
    new TerraformOutput(this, "repository-urls", { value: repositories.repositoryUrls, description: "ECR repository URLs by name" });
  }
}
