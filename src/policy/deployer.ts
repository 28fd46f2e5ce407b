import { DEFAULT_ATTACHABLE_MANAGED_POLICIES, PASS_ROLE_SERVICES, SERVICE_LINKED_ROLE_SERVICES } from "../../modules/iam/deployer-role";
import type { PolicyStatement } from "../../modules/iam/policy";
import { type EnvironmentScopeProps, serviceScope } from "../../modules/iam/scopes";
import { BOUNDARY_ENFORCED_ACTIONS } from "../../modules/iam/boundary";
import { policySize } from "./document";
import { actionsForType, DEPLOYER_OPERATIONS } from "./permissions";
import { TAG_ON_CREATE_ACTIONS, UNSCOPED_ACTIONS } from "./unscoped";

/**
 * Actions the table lists that the deployer is refused on purpose (the boundary denies them too): each is
 * an administrator's decision, taken with the break-glass role, not part of a pipeline change.
 */
export const REFUSED_BY_DESIGN: Readonly<Record<string, string>> = {
  "iam:DeleteRolePermissionsBoundary": "removing a role's boundary is never part of a Shipyard change",
  "kms:ScheduleKeyDeletion": "deleting a customer key destroys every object encrypted with it: an administrator schedules it",
  "kms:DisableKey": "disabling a key breaks every reader at once: an administrator decides",
  "kms:DisableKeyRotation": "every Shipyard key rotates; turning rotation off is not a pipeline change",
};

/** IAM actions whose request must carry this environment's boundary (`iam:PermissionsBoundary`): those the boundary enforces it on. */
export const BOUNDARY_CONDITIONED_ACTIONS: readonly string[] = BOUNDARY_ENFORCED_ACTIONS;

export interface DeployerPolicyInput extends EnvironmentScopeProps {
  /** Environment name: the `shipyard:environment` tag every resource carries (provider default tags). */
  readonly environment: string;
  readonly boundaryArn: string;
  /** Terraform types (`resource.<type>`, `data.<type>`) of each layer the deployer applies. */
  readonly typesByLayer: Readonly<Record<string, readonly string[]>>;
  /** The key of the S3 state bucket, when the backend is `s3`. @default none */
  readonly stateKeyArn?: string;
  /** AWS managed policies the deployer may attach (name after `arn:aws:iam::aws:policy/`). @default DEFAULT_ATTACHABLE_MANAGED_POLICIES */
  readonly attachableManagedPolicies?: readonly string[];
}

export interface DeployerActions {
  /** Every action the deployer needs, sorted, without the refused ones. */
  readonly actions: string[];
  /** Types no table entry covers: the deployer would fail on them. */
  readonly missingTypes: string[];
  /** Which types (or operations) need each action, for reviews and findings. */
  readonly neededBy: ReadonlyMap<string, string[]>;
}

/** The actions the deployer needs for the given layers' types plus its operations (image push, Ansible over SSM). */
export function deployerActions(
  typesByLayer: Readonly<Record<string, readonly string[]>>,
  options: { readonly imagePush?: boolean } = {},
): DeployerActions {
  const neededBy = new Map<string, string[]>();
  const missing = new Set<string>();
  const need = (action: string, why: string) => {
    if (action in REFUSED_BY_DESIGN) return;
    neededBy.set(action, [...(neededBy.get(action) ?? []), why]);
  };
  for (const [layer, types] of Object.entries(typesByLayer)) {
    for (const type of types) {
      const actions = actionsForType(type);
      if (!actions) {
        if (type.startsWith("resource.aws_") || type.startsWith("data.aws_")) missing.add(type);
        continue;
      }
      for (const a of actions) need(a, `${layer}:${type}`);
    }
  }
  // An environment without repositories has no image to push (the tools environment hosts the pipeline only).
  const operations = Object.entries(DEPLOYER_OPERATIONS).filter(([operation]) => operation !== "image-push" || options.imagePush !== false);
  for (const [operation, { actions }] of operations) for (const a of actions) need(a, `operation:${operation}`);
  return { actions: [...neededBy.keys()].sort(), missingTypes: [...missing].sort(), neededBy };
}

/**
 * The deployer's identity policies, computed from the types its layers contain: per service, the needed
 * actions on this environment's ARNs (`serviceScope`); actions IAM cannot scope on `*` in the region (and
 * creates of tagged resources only with the environment's tag); IAM writes only with the boundary, role
 * passing only to the platform's services, policy attachment only of known policies. Packed into managed
 * policies of at most 6,144 characters, named after their first service.
 */
export function deployerPolicies(input: DeployerPolicyInput): Record<string, PolicyStatement[]> {
  const { actions } = deployerActions(input.typesByLayer, { imagePush: (input.repositoryNames ?? []).length > 0 });
  const p = input.partition ?? "aws";
  const unscoped = new Set(UNSCOPED_ACTIONS.map((a) => a.toLowerCase()));
  const inRegion = { test: "StringEquals", variable: "aws:RequestedRegion", values: [input.region] };
  const envTag = { test: "StringEquals", variable: "aws:RequestTag/shipyard:environment", values: [input.environment] };
  const byService = new Map<string, string[]>();
  for (const a of actions) {
    const service = a.split(":")[0]!;
    byService.set(service, [...(byService.get(service) ?? []), a]);
  }

  const statements: PolicyStatement[] = [];
  const sidOf = (service: string, suffix = "") => `${service.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}${suffix}`;
  for (const [service, list] of [...byService.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const wildcard = list.filter((a) => unscoped.has(a.toLowerCase()));
    const tagged = wildcard.filter((a) => TAG_ON_CREATE_ACTIONS.includes(a));
    const regional = wildcard.filter((a) => !TAG_ON_CREATE_ACTIONS.includes(a));
    const scoped = list.filter((a) => !unscoped.has(a.toLowerCase()));
    if (regional.length > 0)
      statements.push({ sid: sidOf(service, "Unscoped"), effect: "Allow", actions: regional, resources: ["*"], condition: [inRegion] });
    if (tagged.length > 0)
      statements.push({
        sid: sidOf(service, "CreateTagged"),
        effect: "Allow",
        actions: tagged,
        resources: ["*"],
        condition: [inRegion, envTag],
      });
    if (scoped.length === 0) continue;
    if (service === "iam") statements.push(...iamStatements(scoped, input, p));
    else if (service === "ssm") statements.push(...ssmStatements(scoped, input, p));
    else statements.push({ sid: sidOf(service), effect: "Allow", actions: scoped, resources: serviceScope(service, input) });
  }
  if (input.stateKeyArn) {
    statements.push({
      sid: "StateKey",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      resources: [input.stateKeyArn],
    });
  }
  return pack(statements);
}

function iamStatements(actions: string[], input: DeployerPolicyInput, p: string): PolicyStatement[] {
  const { accountId: a, prefix } = input;
  const roles = `arn:${p}:iam::${a}:role/${prefix}-*`;
  const boundary = { test: "StringEquals", variable: "iam:PermissionsBoundary", values: [input.boundaryArn] };
  const managed = (input.attachableManagedPolicies ?? DEFAULT_ATTACHABLE_MANAGED_POLICIES).map((m) => `arn:${p}:iam::aws:policy/${m}`);
  const take = (wanted: readonly string[]) => actions.filter((x) => wanted.includes(x));
  const attach = take(["iam:AttachRolePolicy", "iam:DetachRolePolicy"]);
  const withBoundary = take(BOUNDARY_CONDITIONED_ACTIONS).filter((x) => !attach.includes(x));
  const pass = take(["iam:PassRole"]);
  const slr = take(["iam:CreateServiceLinkedRole"]);
  const special = new Set([...attach, ...withBoundary, ...pass, ...slr]);
  const rest = actions.filter((x) => !special.has(x));
  const out: PolicyStatement[] = [];
  if (withBoundary.length > 0)
    out.push({ sid: "IamRolesWithBoundary", effect: "Allow", actions: withBoundary, resources: [roles], condition: [boundary] });
  if (attach.length > 0) {
    out.push({
      sid: "IamAttachKnownPolicies",
      effect: "Allow",
      actions: attach,
      resources: [roles],
      condition: [boundary, { test: "ArnLike", variable: "iam:PolicyARN", values: [...managed, `arn:${p}:iam::${a}:policy/${prefix}-*`] }],
    });
  }
  if (pass.length > 0) {
    out.push({
      sid: "IamPassRoles",
      effect: "Allow",
      actions: pass,
      resources: [roles],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: [...PASS_ROLE_SERVICES] }],
    });
  }
  if (slr.length > 0) {
    out.push({
      sid: "IamServiceLinkedRoles",
      effect: "Allow",
      actions: slr,
      resources: [`arn:${p}:iam::${a}:role/aws-service-role/*`],
      condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: [...SERVICE_LINKED_ROLE_SERVICES] }],
    });
  }
  if (rest.length > 0) out.push({ sid: "Iam", effect: "Allow", actions: rest, resources: serviceScope("iam", input) });
  return out;
}

/** SSM: public EKS AMI parameters, and Session Manager only on this cluster's nodes. */
function ssmStatements(actions: string[], input: DeployerPolicyInput, p: string): PolicyStatement[] {
  const { accountId: a, region: r, prefix } = input;
  const sessions: string[] = actions.filter((x) => x === "ssm:StartSession");
  const own = actions.filter((x) => (["ssm:TerminateSession", "ssm:ResumeSession"] as string[]).includes(x));
  const rest = actions.filter((x) => !sessions.includes(x) && !own.includes(x));
  const out: PolicyStatement[] = [];
  if (rest.length > 0)
    out.push({ sid: "SsmParameters", effect: "Allow", actions: rest, resources: [`arn:${p}:ssm:${r}::parameter/aws/service/eks/*`] });
  if (sessions.length > 0) {
    out.push(
      {
        sid: "SsmSessionsOnClusterNodes",
        effect: "Allow",
        actions: sessions,
        resources: [`arn:${p}:ec2:${r}:${a}:instance/*`],
        condition: [{ test: "StringEquals", variable: "ssm:resourceTag/eks:cluster-name", values: [prefix] }],
      },
      {
        sid: "SsmSessionDocument",
        effect: "Allow",
        actions: sessions,
        resources: [`arn:${p}:ssm:${r}:${a}:document/SSM-SessionManagerRunShell`],
      },
    );
  }
  if (own.length > 0) out.push({ sid: "SsmOwnSessions", effect: "Allow", actions: own, resources: [`arn:${p}:ssm:${r}:${a}:session/*`] });
  return out;
}

/** IAM's limit for one managed policy, less room for the provider's formatting. */
const MAX_POLICY_CHARS = 6000;

/** Packs statements, in order, into managed policies under the size limit, named after their first statement's service. */
function pack(statements: PolicyStatement[]): Record<string, PolicyStatement[]> {
  const parts: PolicyStatement[][] = [];
  for (const s of statements) {
    const last = parts[parts.length - 1];
    if (last && policySize([...last, s]) <= MAX_POLICY_CHARS) last.push(s);
    else parts.push([s]);
  }
  const named: Record<string, PolicyStatement[]> = {};
  for (const part of parts) {
    const service = (part[0]!.actions![0] ?? "misc").split(":")[0]!;
    let name = service;
    for (let i = 2; name in named; i++) name = `${service}-${i}`;
    named[name] = part;
  }
  return named;
}
