import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AlertsTopic } from "../../modules/alerts";
import { AuditTrail, trailArnFor } from "../../modules/audit";
import { Repositories } from "../../modules/ecr";
import { alertsTopicName, backupBucketName, DEFAULT_BOUNDARY_SERVICES, DeployerRole, PermissionsBoundary, roleArn, roleName, ssmBucketName } from "../../modules/iam";
import { type KeyPurpose, PlatformKeys } from "../../modules/kms";
import { SecureBucket } from "../../modules/s3-bucket";
import { Secrets } from "../../modules/secrets";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

/** Velero's object permissions on the backup bucket (from the Velero AWS plugin's documented policy). */
const VELERO_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];

/**
 * Account-level building blocks every other layer uses: the permissions boundary and the deployer role,
 * KMS keys per purpose, the audit trail and its bucket, ECR repositories, Secrets Manager secrets (no
 * values), the alerts SNS topic and the Velero backup bucket.
 *
 * Roles of later layers are referenced by deterministic ARNs (`modules/iam/naming.ts`):
 * `shipyard-<env>-{cluster,node,ebs-csi,external-secrets,alertmanager,velero}`; every one of them must
 * carry the boundary `arn:aws:iam::<account>:policy/shipyard-<env>-boundary`.
 */
export class FoundationStack extends ShipyardStack {
  /** Customer key for CloudWatch Logs groups named `/aws/<service>/shipyard-<env>/...` (flow logs, control plane, trail). */
  public readonly logsKeyArn: string;
  /** EKS secrets envelope encryption (usable by the cluster role `shipyard-<env>-cluster`). */
  public readonly clusterSecretsKeyArn: string;
  /** EBS volumes: node-group launch templates (Auto Scaling service-linked role) and the EBS CSI driver. */
  public readonly ebsKeyArn: string;
  public readonly ecrKeyArn: string;
  /** S3 objects (backup bucket) and CloudTrail log files. */
  public readonly s3KeyArn: string;
  /** Secrets Manager values. */
  public readonly secretsKeyArn: string;
  public readonly snsKeyArn: string;
  /** Every key ARN by purpose. */
  public readonly keyArns: Readonly<Record<KeyPurpose, string>>;
  /** ECR repository URLs by repository name (from `ecr.repositories`). */
  public readonly repositoryUrls: Readonly<Record<string, string>>;
  public readonly repositoryArns: Readonly<Record<string, string>>;
  /** Secret ARNs by short name (from `secrets.items`); secrets are named `shipyard-<env>/<name>`. */
  public readonly secretArns: Readonly<Record<string, string>>;
  public readonly secretNames: Readonly<Record<string, string>>;
  /** `shipyard-<env>-alerts`. */
  public readonly alertsTopicArn: string;
  /** `shipyard-<env>-backups-<account>`: Velero's bucket. */
  public readonly backupBucketName: string;
  public readonly backupBucketArn: string;
  public readonly trailArn: string;
  public readonly auditBucketName: string;
  /** `shipyard-<env>-boundary`; the same as `boundaryPolicyArn(account, "shipyard-<env>")`. */
  public readonly permissionsBoundaryArn: string;
  /** `shipyard-<env>-deployer`, assumed by Jenkins. */
  public readonly deployerRoleArn: string;
  /** Bucket Ansible's SSM connection stages files in (`shipyard-<env>-ssm-<account>`). */
  public readonly ssmBucketName: string;

  constructor(scope: Construct, props: ShipyardStackProps) {
    super(scope, "foundation", props);
    const { env } = props;
    const prefix = this.resourceName();
    const account = env.account;
    const role = (name: Parameters<typeof roleArn>[2]) => roleArn(account, prefix, name);

    // An environment hosting Jenkins: its deploy agent role assumes the other environments' deployer roles (sts).
    const services = env.ci?.jenkins ? [...DEFAULT_BOUNDARY_SERVICES, "sts"] : undefined;
    const boundary = new PermissionsBoundary(this, "permissions-boundary", { name: prefix, accountId: account, region: env.region, services });
    const deployer = new DeployerRole(this, "deployer", {
      name: prefix,
      accountId: account,
      region: env.region,
      trustedPrincipalArn: env.access.deployer.trustedPrincipal,
      externalId: env.access.deployer.externalId,
      permissionsBoundaryArn: boundary.policyArn,
      repositoryNames: env.ecr.repositories.map((r) => r.name),
      stateBucket:
        env.state.backend === "s3" ? { bucket: env.state.bucket, keyPrefix: env.state.keyPrefix, kmsKeyArn: env.state.kmsKeyArn } : undefined,
    });
    const admins = [...env.access.admins];
    const trailArn = trailArnFor(prefix, account, env.region);

    const keys = new PlatformKeys(this, "keys", {
      name: prefix,
      accountId: account,
      region: env.region,
      // The deployer's ARN as a reference: the role must exist before a key policy names it.
      administratorArns: [...admins, deployer.roleArn],
      deletionWindowInDays: env.protection.kmsDeletionWindowDays,
      clusterSecrets: { clusterRoleArn: role("cluster") },
      // Velero restores snapshots of encrypted volumes, so it needs the EBS key too.
      ebs: { userRoleArns: [role("node"), role("ebsCsi"), role("velero")] },
      ecr: { userRoleArns: [role("deployer"), role("node")] },
      s3: { trailArns: [trailArn], userRoleArns: [role("velero")], trailReaderArns: admins },
      secrets: { userRoleArns: [role("externalSecrets"), ...admins] },
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
        { sid: "ControllerObjects", roleArns: [role("deployer")], actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], resources: ["*"] },
        { sid: "NodeObjects", roleArns: [role("node")], actions: ["s3:GetObject", "s3:PutObject"], resources: ["*"] },
      ],
      // Staged files are useless after the run that wrote them.
      lifecycle: { transitions: [], expirationDays: 1, noncurrentVersionExpirationDays: 1 },
    });

    const audit = new AuditTrail(this, "audit", {
      name: prefix,
      accountId: account,
      region: env.region,
      kmsKeyArn: keys.s3.keyArn,
      logsKmsKeyArn: keys.logs.keyArn,
      logRetentionInDays: env.audit.logRetentionDays,
      glacierTransitionDays: env.audit.glacierTransitionDays,
      expirationDays: env.audit.expirationDays,
      readerArns: admins,
      s3DataEventBucketArns: env.audit.s3DataEvents ? [backups.bucketArn] : [],
      permissionsBoundaryArn: boundary.policyArn,
    });

    const repositories = new Repositories(this, "repositories", {
      repositories: env.ecr.repositories,
      kmsKeyArn: keys.ecr.keyArn,
      pullRoleArns: [role("node")],
      pushRoleArns: [role("deployer")],
      untaggedExpiryDays: env.ecr.untaggedExpiryDays,
      keepReleaseTags: env.ecr.keepReleaseTags,
    });

    const secrets = new Secrets(this, "secrets", {
      namePrefix: prefix,
      items: env.secrets.items,
      kmsKeyArn: keys.secrets.keyArn,
      recoveryWindowInDays: env.secrets.recoveryWindowDays,
      readerRoleArns: [role("externalSecrets")],
      administratorArns: admins,
    });

    const alerts = new AlertsTopic(this, "alerts", {
      topicName: alertsTopicName(prefix),
      kmsKeyArn: keys.sns.keyArn,
      publisherRoleArns: [role("alertmanager")],
    });

    this.logsKeyArn = keys.logs.keyArn;
    this.clusterSecretsKeyArn = keys.clusterSecrets.keyArn;
    this.ebsKeyArn = keys.ebs.keyArn;
    this.ecrKeyArn = keys.ecr.keyArn;
    this.s3KeyArn = keys.s3.keyArn;
    this.secretsKeyArn = keys.secrets.keyArn;
    this.snsKeyArn = keys.sns.keyArn;
    this.keyArns = keys.keyArns;
    this.repositoryUrls = repositories.repositoryUrls;
    this.repositoryArns = repositories.repositoryArns;
    this.secretArns = secrets.secretArns;
    this.secretNames = secrets.secretNames;
    this.alertsTopicArn = alerts.topicArn;
    this.backupBucketName = backups.bucketName;
    this.backupBucketArn = backups.bucketArn;
    this.ssmBucketName = ssmStaging.bucketName;
    this.trailArn = audit.trailArn;
    this.auditBucketName = audit.bucketName;
    this.permissionsBoundaryArn = boundary.policyArn;
    this.deployerRoleArn = deployer.roleArn;

    // For people and Jenkins (cross-stack references add their own outputs).
    new TerraformOutput(this, "deployer-role-arn", { value: deployer.roleArn, description: `Role Jenkins assumes (${roleName(prefix, "deployer")})` });
    new TerraformOutput(this, "repository-urls", { value: repositories.repositoryUrls, description: "ECR repository URLs by name" });
  }
}
