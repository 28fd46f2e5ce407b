import { Construct } from "constructs";
import { ShipyardValidationError } from "../core";
import { autoScalingServiceLinkedRoleArn } from "../iam/naming";
import { type PolicyStatement, statementForRoles, validatePrincipalArns } from "../iam/policy";
import { CustomerKey } from "./customer-key";
import { cloudWatchLogsStatement } from "./logs-statement";

/** One key per purpose, so a key policy names only the services and roles that purpose needs. */
export const KEY_PURPOSES = ["logs", "cluster-secrets", "ebs", "ecr", "s3", "secrets", "sns"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

const ENVELOPE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

export interface PlatformKeysProps {
  /** Name prefix, `shipyard-<env>`; aliases are `alias/<name>-<purpose>`. */
  readonly name: string;
  /** AWS account id (12 digits) of the environment. */
  readonly accountId: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /**
   * Key administrators, named in every key policy: the config's admins plus the deployer role. They
   * must exist when the keys are created (AWS validates them); at least one, no account root.
   */
  readonly administratorArns: readonly string[];
  /** 7-30 days. @default 30 */
  readonly deletionWindowDays?: number;
  /**
   * Role ARN patterns whose identity policies may grant use of every key (see CustomerKey). @default none
   */
  readonly identityPolicyPrincipalPatterns?: readonly string[];
  /** The logs key (CloudWatch Logs). @default the defaults of its fields */
  readonly logs?: {
    /**
     * Log groups CloudWatch Logs may encrypt with the key (`kms:EncryptionContext:aws:logs:arn`).
     * @default [`arn:<p>:logs:<region>:<account>:log-group:/aws/*\/<name>/*`]: the flow-log, control-plane
     * and CloudTrail groups, all named `/aws/<service>/shipyard-<env>/...`.
     */
    readonly logGroupArnPatterns?: readonly string[];
  };
  /** The key for envelope encryption of Kubernetes Secrets. */
  readonly clusterSecrets: {
    /** The EKS cluster role (deterministic ARN; created by the cluster layer). */
    readonly clusterRoleArn: string;
  };
  /** The key of EBS volumes (node root volumes, persistent volumes). */
  readonly ebs: {
    /** Roles that create or attach encrypted volumes through EC2 (node role, EBS CSI driver role). */
    readonly userRoleArns: readonly string[];
    /**
     * Let the EC2 Auto Scaling service-linked role use the key, so node groups launch instances with
     * encrypted launch-template volumes.
     * @default true
     */
    readonly autoScalingServiceLinkedRole?: boolean;
    /**
     * Roles that manage grants on the key for volumes they attach (the EBS CSI driver creates, lists and
     * revokes grants, only for AWS resources). @default none
     */
    readonly grantManagerRoleArns?: readonly string[];
  };
  /** The key of the ECR repositories. */
  readonly ecr: {
    /** Roles that push or pull through ECR (deployer, node role). */
    readonly userRoleArns: readonly string[];
  };
  /** The key of S3 objects and CloudTrail log files. */
  readonly s3: {
    /** Trails allowed to encrypt log files with the key (aws:SourceArn). @default none (the trail has its own key) */
    readonly trailArns?: readonly string[];
    /** Roles that read and write encrypted objects through S3 (e.g. Velero). @default none */
    readonly userRoleArns?: readonly string[];
    /** Principals that may decrypt trail log files. @default the administrators */
    readonly trailReaderArns?: readonly string[];
  };
  /** The key of Secrets Manager secrets. */
  readonly secrets: {
    /** Roles that read secret values through Secrets Manager (External Secrets) or write them (admins). */
    readonly userRoleArns: readonly string[];
    /** Secrets whose values the key may protect (`kms:EncryptionContext:SecretARN`). @default [`...:secret:<name>/*`] */
    readonly secretArnPatterns?: readonly string[];
  };
  /** The key of the SNS topics (alerts). */
  readonly sns: {
    /** Roles that publish to encrypted topics (Alertmanager). */
    readonly publisherRoleArns: readonly string[];
    /** Service principals that publish (e.g. `cloudwatch.amazonaws.com`), pinned to this account. @default none */
    readonly publisherServices?: readonly string[];
  };
}

/**
 * The customer keys of one environment: CloudWatch Logs, EKS secrets envelope encryption, EBS volumes,
 * ECR images, S3 objects and CloudTrail log files, Secrets Manager values and SNS messages. Every key
 * rotates yearly, names its administrators, and lets in only the services and roles of its purpose,
 * with `kms:ViaService`, `kms:CallerAccount`, encryption-context and source conditions.
 */
export class PlatformKeys extends Construct {
  public readonly logs: CustomerKey;
  public readonly clusterSecrets: CustomerKey;
  public readonly ebs: CustomerKey;
  public readonly ecr: CustomerKey;
  public readonly s3: CustomerKey;
  public readonly secrets: CustomerKey;
  public readonly sns: CustomerKey;
  /** Key ARNs by purpose. */
  public readonly keyArns: Readonly<Record<KeyPurpose, string>>;

  constructor(scope: Construct, id: string, props: PlatformKeysProps) {
    super(scope, id);
    const p = props.partition ?? "aws";
    const { accountId: account, region, name } = props;
    const caller = { variable: "kms:CallerAccount", accountId: account };
    const via = (service: string) => ({ test: "StringEquals", variable: "kms:ViaService", values: [`${service}.${region}.amazonaws.com`] });
    const grantForAwsResource = { test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] };
    validatePrincipalArns("ebs.userRoleArns", props.ebs.userRoleArns, { minimum: 1 });
    validatePrincipalArns("ecr.userRoleArns", props.ecr.userRoleArns, { minimum: 1 });
    validatePrincipalArns("secrets.userRoleArns", props.secrets.userRoleArns, { minimum: 1 });
    validatePrincipalArns("sns.publisherRoleArns", props.sns.publisherRoleArns, { minimum: 1 });
    validatePrincipalArns("clusterSecrets.clusterRoleArn", [props.clusterSecrets.clusterRoleArn]);
    validatePrincipalArns("s3.userRoleArns", props.s3.userRoleArns ?? []);
    validatePrincipalArns("ebs.grantManagerRoleArns", props.ebs.grantManagerRoleArns ?? []);
    const trailArns = props.s3.trailArns ?? [];
    if (trailArns.some((t) => !t.includes(":cloudtrail:"))) throw new ShipyardValidationError("s3.trailArns", "expected trail ARNs");

    const key = (purpose: KeyPurpose, description: string, statements: PolicyStatement[]) =>
      new CustomerKey(this, purpose, {
        alias: `${name}-${purpose}`,
        description: `${name}: ${description}`,
        administratorArns: props.administratorArns,
        deletionWindowDays: props.deletionWindowDays,
        identityPolicyPrincipalPatterns: props.identityPolicyPrincipalPatterns,
        statements,
      });

    this.logs = key("logs", "CloudWatch Logs groups", [
      cloudWatchLogsStatement(
        region,
        "ArnLike",
        props.logs?.logGroupArnPatterns ?? [`arn:${p}:logs:${region}:${account}:log-group:/aws/*/${name}/*`],
      ),
    ]);

    this.clusterSecrets = key("cluster-secrets", "EKS secrets envelope encryption", [
      statementForRoles(
        "ClusterRoleUse",
        [props.clusterSecrets.clusterRoleArn],
        ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"],
        caller,
      ),
      statementForRoles("ClusterRoleGrants", [props.clusterSecrets.clusterRoleArn], ["kms:CreateGrant"], caller, [grantForAwsResource]),
    ]);

    const ebsStatements: PolicyStatement[] = [
      statementForRoles("Ec2VolumeUsers", props.ebs.userRoleArns, ENVELOPE_ACTIONS, caller, [via("ec2")]),
      statementForRoles("Ec2VolumeGrants", props.ebs.userRoleArns, ["kms:CreateGrant"], caller, [via("ec2"), grantForAwsResource]),
    ];
    if ((props.ebs.grantManagerRoleArns ?? []).length > 0) {
      ebsStatements.push(
        statementForRoles(
          "Ec2VolumeGrantManagement",
          props.ebs.grantManagerRoleArns ?? [],
          ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
          caller,
          [grantForAwsResource],
        ),
      );
    }
    if (props.ebs.autoScalingServiceLinkedRole ?? true) {
      const slr = autoScalingServiceLinkedRoleArn(account, p);
      ebsStatements.push(
        statementForRoles("AutoScalingServiceLinkedRoleUse", [slr], ENVELOPE_ACTIONS, caller),
        statementForRoles("AutoScalingServiceLinkedRoleGrants", [slr], ["kms:CreateGrant"], caller, [grantForAwsResource]),
      );
    }
    this.ebs = key("ebs", "EBS volumes (node root volumes, persistent volumes)", ebsStatements);

    this.ecr = key("ecr", "ECR images", [
      statementForRoles("EcrUsers", props.ecr.userRoleArns, [...ENVELOPE_ACTIONS, "kms:CreateGrant", "kms:RetireGrant"], caller, [
        via("ecr"),
      ]),
    ]);

    const trailContext = {
      test: "StringLike",
      variable: "kms:EncryptionContext:aws:cloudtrail:arn",
      values: [`arn:${p}:cloudtrail:*:${account}:trail/*`],
    };
    const s3Statements: PolicyStatement[] =
      trailArns.length === 0
        ? []
        : [
            {
              sid: "CloudTrailEncrypt",
              effect: "Allow",
              principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
              actions: ["kms:GenerateDataKey*"],
              resources: ["*"],
              condition: [{ test: "StringEquals", variable: "aws:SourceArn", values: [...trailArns] }, trailContext],
            },
            {
              sid: "CloudTrailDescribe",
              effect: "Allow",
              principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
              actions: ["kms:DescribeKey"],
              resources: ["*"],
              condition: [{ test: "StringEquals", variable: "aws:SourceArn", values: [...trailArns] }],
            },
            {
              sid: "TrailLogReaders",
              effect: "Allow",
              principals: [{ type: "AWS", identifiers: [...(props.s3.trailReaderArns ?? props.administratorArns)] }],
              actions: ["kms:Decrypt", "kms:ReEncryptFrom"],
              resources: ["*"],
              condition: [{ test: "StringEquals", variable: "kms:CallerAccount", values: [account] }, trailContext],
            },
          ];
    if ((props.s3.userRoleArns ?? []).length > 0) {
      s3Statements.push(statementForRoles("S3ObjectUsers", props.s3.userRoleArns ?? [], ENVELOPE_ACTIONS, caller, [via("s3")]));
    }
    this.s3 = key("s3", "S3 objects (backups, SSM staging files)", s3Statements);

    const secretContext = {
      test: "StringLike",
      variable: "kms:EncryptionContext:SecretARN",
      values: [...(props.secrets.secretArnPatterns ?? [`arn:${p}:secretsmanager:${region}:${account}:secret:${name}/*`])],
    };
    this.secrets = key("secrets", "Secrets Manager secret values", [
      statementForRoles(
        "SecretsManagerUsers",
        props.secrets.userRoleArns,
        ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
        caller,
        [via("secretsmanager"), secretContext],
      ),
      statementForRoles("SecretsManagerDescribe", props.secrets.userRoleArns, ["kms:DescribeKey"], caller, [via("secretsmanager")]),
    ]);

    const snsStatements: PolicyStatement[] = [
      statementForRoles("SnsPublishers", props.sns.publisherRoleArns, ["kms:GenerateDataKey*", "kms:Decrypt"], caller, [via("sns")]),
    ];
    if ((props.sns.publisherServices ?? []).length > 0) {
      snsStatements.push({
        sid: "SnsPublisherServices",
        effect: "Allow",
        principals: [{ type: "Service", identifiers: [...(props.sns.publisherServices ?? [])] }],
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        resources: ["*"],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
      });
    }
    this.sns = key("sns", "SNS topic messages", snsStatements);

    this.keyArns = {
      logs: this.logs.keyArn,
      "cluster-secrets": this.clusterSecrets.keyArn,
      ebs: this.ebs.keyArn,
      ecr: this.ecr.keyArn,
      s3: this.s3.keyArn,
      secrets: this.secrets.keyArn,
      sns: this.sns.keyArn,
    };
  }
}
