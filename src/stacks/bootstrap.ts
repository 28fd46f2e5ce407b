import { Lazy, TerraformDataSource, TerraformOutput, TerraformResource, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { Project } from "@cdktf/provider-tfe/lib/project";
import { Team } from "@cdktf/provider-tfe/lib/team";
import { TeamAccess } from "@cdktf/provider-tfe/lib/team-access";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { AuditTrail, trailArnFor } from "../../modules/audit";
import {
  backupBucketName,
  boundaryPolicyArn,
  DeployerRole,
  PermissionsBoundary,
  principalArnForCondition,
  roleArn,
  roleName,
  statementForRoles,
  unique,
} from "../../modules/iam";
import { AUDIT_KEY_TAG, AuditKey, CustomerKey } from "../../modules/kms";
import { SecureBucket } from "../../modules/s3-bucket";
import { deployerPolicies } from "../policy/deployer";
import { UNSCOPED_ACTIONS } from "../policy/unscoped";
import { ciTargets } from "../config/ci-rules";
import { cloudWorkspaceName, stateKeyAliasName, stateReaders } from "./backend";
import { LAYERS, ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

/** The audit trail's names, shared by the trail and the boundary that protects it. */
export function auditNames(prefix: string, account: string) {
  return {
    trailName: prefix,
    bucketName: `${prefix}-cloudtrail-${account}`,
    logGroupName: `/aws/cloudtrail/${prefix}/trail`,
    deliveryRoleName: `${prefix}-cloudtrail-logs`,
  };
}

/**
 * `<env>-bootstrap`: what an administrator applies once, with their own credentials, before the pipeline
 * can deploy anything (README, "First apply"):
 *
 * - the permissions boundary every Shipyard role carries;
 * - the deployer role Jenkins assumes (CI trust: `access.deployer.trustedPrincipal` and its external id),
 *   with policies computed from the types of the layers it applies (`authorize()`);
 * - the audit trail, its bucket, log group, delivery role and its own key: out of the deployer's reach;
 * - the state backend's own resources: for `s3` the bucket and its key, for `cloud` the Terraform Cloud
 *   project and one workspace per stack (local execution; state shared only with the stacks that read it).
 *
 * Every later layer is applied by the deployer and nothing else.
 */
export class BootstrapStack extends ShipyardStack {
  public readonly permissionsBoundaryArn: string;
  public readonly boundary: PermissionsBoundary;
  public readonly deployer: DeployerRole;
  public readonly trailArn: string;
  public readonly auditBucketName: string;
  /** Terraform Cloud workspace ids by stack name (cloud backend only). */
  public readonly workspaceIds: Readonly<Record<string, string>> = {};

  constructor(scope: Construct, props: ShipyardStackProps) {
    super(scope, "bootstrap", props);
    const { env } = props;
    const prefix = this.resourceName();
    const account = env.account;
    const admins = [...env.access.admins];
    const people = unique([...admins, env.access.breakGlass]);
    const names = auditNames(prefix, account);
    const stateBucket = env.state.backend === "s3" ? { bucket: env.state.bucket, keyPrefix: env.state.keyPrefix } : undefined;

    const boundary = (this.boundary = new PermissionsBoundary(this, "permissions-boundary", {
      name: prefix,
      accountId: account,
      region: env.region,
      repositoryNames: env.ecr.repositories.map((r) => r.name),
      stateBucket,
      unscopedActions: UNSCOPED_ACTIONS,
      audit: { ...names, keyTag: AUDIT_KEY_TAG },
      // The environment hosting Jenkins: its agents assume the targets' deployers and push to their registries.
      pipeline: env.ci?.jenkins
        ? {
            assumeRoleArns: ciTargets(env).map((t) => t.deployerRoleArn),
            pushRepositoryArns: ciTargets(env).flatMap((t) => t.repositoryArns),
          }
        : undefined,
    }));
    this.permissionsBoundaryArn = boundary.policyArn;
    this.deployer = new DeployerRole(this, "deployer", {
      name: prefix,
      trustedPrincipalArn: env.access.deployer.trustedPrincipal,
      externalId: env.access.deployer.externalId,
      permissionsBoundaryArn: boundary.policyArn,
    });

    // The audit trail: its own key, administered by people only; the boundary denies bounded roles every change.
    const trailArn = trailArnFor(prefix, account, env.region);
    const auditKey = new AuditKey(this, "audit-key", {
      name: prefix,
      accountId: account,
      region: env.region,
      trailArn,
      logGroupName: names.logGroupName,
      administratorArns: people,
      readerArns: admins,
      deletionWindowDays: env.protection.kmsDeletionWindowDays,
    });
    const audit = new AuditTrail(this, "audit", {
      name: prefix,
      accountId: account,
      region: env.region,
      kmsKeyArn: auditKey.keyArn,
      logsKmsKeyArn: auditKey.keyArn,
      logRetentionDays: env.audit.logRetentionDays,
      glacierTransitionDays: env.audit.glacierTransitionDays,
      expirationDays: env.audit.expirationDays,
      readerArns: admins,
      // The backup bucket is created later by the foundation layer; its name is deterministic.
      s3DataEventBucketArns: env.audit.s3DataEvents ? [`arn:aws:s3:::${backupBucketName(prefix, account)}`] : [],
      permissionsBoundaryArn: boundary.policyArn,
    });
    this.trailArn = audit.trailArn;
    this.auditBucketName = audit.bucketName;

    if (env.state.backend === "s3") this.stateBucket(env.state.bucket, env.state.keyPrefix, people, !env.state.kmsKeyArn);
    if (env.state.backend === "cloud") this.workspaceIds = this.cloudWorkspaces(env.state);

    new TerraformOutput(this, "deployer-role-arn", {
      value: this.deployer.roleArn,
      description: `Role Jenkins assumes (${roleName(prefix, "deployer")})`,
    });
    new TerraformOutput(this, "permissions-boundary-arn", {
      value: boundary.policyArn,
      description: "Boundary every Shipyard role carries",
    });
  }

  /**
   * Gives the deployer exactly what applying these stacks needs: policies computed from the Terraform
   * types they contain (`src/policy/deployer.ts`). Called once every layer is built.
   */
  public authorize(stacks: readonly ShipyardStack[]): void {
    const env = this.env;
    const state = env.state;
    const typesByLayer = Object.fromEntries(stacks.map((s) => [s.layer, terraformTypes(s)]));
    this.deployer.attach(
      deployerPolicies({
        prefix: this.resourceName(),
        environment: env.name,
        accountId: env.account,
        region: env.region,
        repositoryNames: env.ecr.repositories.map((r) => r.name),
        stateBucket: state.backend === "s3" ? { bucket: state.bucket, keyPrefix: state.keyPrefix } : undefined,
        stateKeyArn: state.backend === "s3" ? state.kmsKeyArn : undefined,
        // The deterministic ARN, as the boundary's own condition spells it.
        boundaryArn: boundaryPolicyArn(env.account, this.resourceName()),
        typesByLayer,
      }),
    );
  }

  /** S3 state: the bucket and (unless config names one) its key; only the deployer and the people use them. */
  private stateBucket(bucket: string, keyPrefix: string, people: string[], createKey: boolean): void {
    const env = this.env;
    const deployer = roleArn(env.account, this.resourceName(), "deployer");
    const prefix = keyPrefix.replace(/^\/+|\/+$/g, "");
    let keyArn = env.state.backend === "s3" ? env.state.kmsKeyArn : undefined;
    if (createKey) {
      const key = new CustomerKey(this, "state-key", {
        alias: stateKeyAliasName(bucket),
        description: `${this.resourceName()}: Terraform state`,
        administratorArns: people,
        deletionWindowDays: env.protection.kmsDeletionWindowDays,
        statements: [
          statementForRoles(
            "StateUsers",
            [deployer, ...people.map(principalArnForCondition)],
            ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            {
              variable: "kms:CallerAccount",
              accountId: env.account,
            },
            [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${env.region}.amazonaws.com`] }],
          ),
        ],
      });
      keyArn = key.keyArn;
    }
    new SecureBucket(this, "state", {
      bucketName: bucket,
      kmsKeyArn: keyArn!,
      trustedPrincipalArns: people,
      grants: [
        { sid: "DeployerList", roleArns: [deployer], actions: ["s3:ListBucket"], resources: ["bucket"] },
        {
          sid: "DeployerState",
          roleArns: [deployer],
          actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          resources: [prefix ? `${prefix}/*` : "*"],
        },
      ],
      // State history is the way back from a bad apply: keep old versions for 90 days.
      lifecycle: { transitions: [], noncurrentVersionExpirationDays: 90 },
    });
  }

  /**
   * Terraform Cloud: the project and one workspace per stack, named by `cloudWorkspaceName` (the name the
   * stacks' `cloud` blocks use). Local execution: Jenkins runs Terraform with the deployer role and
   * Terraform Cloud holds state and locks, so no AWS credential is ever stored in Terraform Cloud. State
   * is shared with exactly the stacks that read it through cross-stack references (derived at synthesis
   * from the remote-state data sources CDKTF adds), never globally.
   */
  private cloudWorkspaces(state: {
    organization: string;
    project?: string;
    hostname: string;
    workspacePrefix: string;
  }): Record<string, string> {
    const env = this.env;
    // The administrator's token comes from TFE_TOKEN (or `terraform login`), never from config.
    new TfeProvider(this, "tfe", { hostname: state.hostname, organization: state.organization });
    const project = state.project ? new Project(this, "tfe-project", { name: state.project, organization: state.organization }) : undefined;
    const stackNames = LAYERS.map((layer) => `${env.name}-${layer}`);
    const workspaces: Record<string, Workspace> = {};
    for (const stackName of stackNames) {
      workspaces[stackName] = new Workspace(this, `workspace-${stackName}`, {
        name: cloudWorkspaceName(state, stackName),
        organization: state.organization,
        projectId: project?.id,
        description: `Shipyard ${stackName}: state and locks only (Jenkins runs Terraform; local execution)`,
      });
    }
    // Jenkins' Terraform Cloud identity: a team that may read and write state (and lock) in this
    // environment's workspaces except bootstrap's, and nothing else. Its team token is issued by the
    // administrator and kept in the Jenkins credential store (a token created here would sit in state).
    const team = new Team(this, "tfe-deployer-team", {
      name: `${this.resourceName()}-deployer`,
      organization: state.organization,
      visibility: "secret",
    });
    for (const stackName of stackNames.filter((n) => n !== `${env.name}-bootstrap`)) {
      new TeamAccess(this, `tfe-deployer-access-${stackName}`, {
        teamId: team.id,
        workspaceId: workspaces[stackName]!.id,
        access: "write",
      });
    }
    const root = this.node.root;
    for (const stackName of stackNames) {
      new WorkspaceSettings(this, `workspace-settings-${stackName}`, {
        workspaceId: workspaces[stackName]!.id,
        executionMode: "local",
        globalRemoteState: false,
        remoteStateConsumerIds: Lazy.listValue({
          produce: () =>
            stateReaders(root, stackName)
              .map((reader) => workspaces[reader]?.id)
              .filter((id): id is string => id !== undefined),
        }),
      });
    }
    return Object.fromEntries(Object.entries(workspaces).map(([name, ws]) => [name, ws.id]));
  }
}

/** The Terraform types (`resource.<type>`, `data.<type>`) a stack contains, sorted. */
export function terraformTypes(stack: TerraformStack): string[] {
  const types = new Set<string>();
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformResource) types.add(`resource.${c.terraformResourceType}`);
    else if (c instanceof TerraformDataSource) types.add(`data.${c.terraformResourceType}`);
  }
  return [...types].sort();
}
