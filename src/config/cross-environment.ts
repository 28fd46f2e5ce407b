import {
  alertsTopicName,
  backupBucketName,
  boundaryPolicyName,
  roleName,
  secretName,
  SHIPYARD_ROLES,
  ssmBucketName,
} from "../../modules/iam/naming";
import { launchTemplateName, zonalGroupName } from "../../modules/node-groups/props";
import { overlaps } from "../../modules/core/cidr";
import { formatPath } from "./errors";
import type { EnvironmentConfig } from "./schema/environment";

/** A key path inside an environment file, e.g. `["network", "cidr"]`. */
export type KeyPath = readonly (string | number)[];

/** One conflict between environments, reported at the key to edit in `env`. */
export interface CrossEnvironmentIssue {
  /** The environment whose file gets the message. */
  readonly env: string;
  readonly path: KeyPath;
  /** The other environment involved and its key, when there is one. */
  readonly other?: { readonly env: string; readonly path: KeyPath };
  /** What is wrong, naming the other file, ending with what was expected. */
  readonly message: string;
}

export interface CrossEnvironmentOptions {
  /**
   * How a key of another environment is cited in a message.
   * @default `environments/<env>.yaml <key.path>`
   */
  readonly cite?: (env: string, path: KeyPath) => string;
  /**
   * Every environment that exists (also those not passed, e.g. a file that failed to load), so that a
   * peer name is refused only when no such environment exists. @default the names of `envs`
   */
  readonly known?: readonly string[];
}

const defaultCite = (env: string, path: KeyPath) => `environments/${env}.yaml ${formatPath(path)}`;

/**
 * Checks that need more than one file, or facts about accounts that only the set of environments
 * knows: VPC CIDRs that would collide (same account, declared peers, or routed from the same CI
 * network), names of account- and region-scoped resources two environments would both create, and ARNs
 * from the wrong account or region. Pure: the loader turns the issues into located problems, and
 * `shipyard check` can report them as findings. Each pair is reported once, in the later environment
 * (by name), naming the earlier one's file and key.
 */
export function crossEnvironmentIssues(envs: readonly EnvironmentConfig[], options: CrossEnvironmentOptions = {}): CrossEnvironmentIssue[] {
  const cite = options.cite ?? defaultCite;
  const sorted = [...envs].sort((a, b) => a.name.localeCompare(b.name));
  const known = new Set([...(options.known ?? []), ...sorted.map((e) => e.name)]);
  return [...peerNames(sorted, known), ...cidrConflicts(sorted, cite), ...nameConflicts(sorted, cite), ...arnIssues(sorted, cite)];
}

function peerNames(envs: readonly EnvironmentConfig[], known: ReadonlySet<string>): CrossEnvironmentIssue[] {
  return envs.flatMap((env) =>
    env.network.peers.flatMap((peer, i): CrossEnvironmentIssue[] =>
      known.has(peer) || peer === env.name
        ? []
        : [
            {
              env: env.name,
              path: ["network", "peers", i],
              message: `unknown environment ${peer} (expected one of: ${
                [...known]
                  .filter((n) => n !== env.name)
                  .sort()
                  .join(", ") || "none"
              }, from environments/)`,
            },
          ],
    ),
  );
}

/** The CI networks that reach an environment's private endpoint through peering or a transit gateway. */
function routedCiCidrs(env: EnvironmentConfig): readonly string[] {
  const ci = env.cluster.endpoint.ci;
  return ci?.via === "peering" || ci?.via === "transit-gateway" ? ci.cidrs : [];
}

const CIDR: KeyPath = ["network", "cidr"];

function cidrConflicts(envs: readonly EnvironmentConfig[], cite: (env: string, path: KeyPath) => string): CrossEnvironmentIssue[] {
  const issues: CrossEnvironmentIssue[] = [];
  envs.forEach((later, j) => {
    for (const earlier of envs.slice(0, j)) {
      const sameAccount = earlier.account === later.account;
      const peered = earlier.network.peers.includes(later.name) || later.network.peers.includes(earlier.name);
      const connected = sameAccount || peered;
      // Two VPCs one connection (same account, declared peers) or one CI network routes to.
      const sharedCi = routedCiCidrs(later).find((a) => routedCiCidrs(earlier).some((b) => overlaps(a, b)));
      const reason = sameAccount
        ? `both live in account ${later.account}`
        : peered
          ? "the two are declared peers (network.peers)"
          : sharedCi
            ? `the CI network ${sharedCi} routes to both (cluster.endpoint.ci)`
            : undefined;
      if (reason && overlaps(later.network.cidr, earlier.network.cidr)) {
        issues.push({
          env: later.name,
          path: CIDR,
          other: { env: earlier.name, path: CIDR },
          message: `${later.network.cidr} overlaps ${earlier.name}'s ${earlier.network.cidr} (${cite(earlier.name, CIDR)}), and ${reason} (expected a VPC CIDR that no connected environment uses)`,
        });
      }
      if (!connected) continue;
      // A connected environment's VPC inside the CI network one of them routes to: two routes, one range.
      for (const [env, other] of [
        [later, earlier],
        [earlier, later],
      ] as const) {
        routedCiCidrs(env).forEach((ci, i) => {
          if (!overlaps(ci, other.network.cidr)) return;
          const path: KeyPath = ["cluster", "endpoint", "ci", "cidrs", i];
          issues.push({
            env: env.name,
            path,
            other: { env: other.name, path: CIDR },
            message: `the CI network ${ci} overlaps ${other.name}'s VPC ${other.network.cidr} (${cite(other.name, CIDR)}), and ${sameAccount ? `both live in account ${env.account}` : "the two are declared peers (network.peers)"}, so routes to the CI network and to ${other.name} would collide (expected CI networks outside every connected environment's VPC)`,
          });
        });
      }
    }
  });
  return issues;
}

/** A name an environment's stacks create in a namespace AWS keeps per account (IAM, S3 here) or per account and region. */
interface ScopedName {
  readonly kind: string;
  readonly name: string;
  readonly perRegion: boolean;
  /** The key whose value the name comes from. */
  readonly path: KeyPath;
  /** Why the name must be unique, for the message. */
  readonly rule: string;
}

const IAM_RULE = "IAM names are unique per account";
const REGION_RULE = (kind: string) => `${kind} names are unique per account and region`;

/** The account- and region-scoped names one environment creates, from the same naming functions the stacks use. */
export function scopedNames(env: EnvironmentConfig): ScopedName[] {
  const prefix = env.clusterName;
  const fromName: KeyPath = ["name"];
  const regional = (kind: string, name: string, path: KeyPath): ScopedName => ({
    kind,
    name,
    perRegion: true,
    path,
    rule: REGION_RULE(kind),
  });
  return [
    ...SHIPYARD_ROLES.map((role): ScopedName => ({
      kind: "IAM role",
      name: roleName(prefix, role),
      perRegion: false,
      path: fromName,
      rule: IAM_RULE,
    })),
    { kind: "IAM policy", name: boundaryPolicyName(prefix), perRegion: false, path: fromName, rule: IAM_RULE },
    {
      kind: "S3 bucket",
      name: backupBucketName(prefix, env.account),
      perRegion: false,
      path: fromName,
      rule: "S3 bucket names are unique everywhere",
    },
    {
      kind: "S3 bucket",
      name: ssmBucketName(prefix, env.account),
      perRegion: false,
      path: fromName,
      rule: "S3 bucket names are unique everywhere",
    },
    regional("EKS cluster", prefix, fromName),
    regional("SNS topic", alertsTopicName(prefix), fromName),
    ...env.ecr.repositories.map((repo, i) => regional("ECR repository", repo.name, ["ecr", "repositories", i, "name"])),
    ...env.secrets.items.map((item, i) =>
      regional("Secrets Manager secret", secretName(prefix, item.name), ["secrets", "items", i, "name"]),
    ),
    // One group and launch template per config group and zone (modules/node-groups).
    ...env.cluster.nodeGroups.flatMap((group, i) =>
      env.network.availabilityZones.map((zone) =>
        regional("launch template", launchTemplateName(prefix, zonalGroupName(group.name, zone)), ["cluster", "nodeGroups", i, "name"]),
      ),
    ),
  ];
}

function nameConflicts(envs: readonly EnvironmentConfig[], cite: (env: string, path: KeyPath) => string): CrossEnvironmentIssue[] {
  const owners = new Map<string, { env: EnvironmentConfig; name: ScopedName }>();
  const issues: CrossEnvironmentIssue[] = [];
  for (const env of envs) {
    const seen = new Set<string>();
    for (const name of scopedNames(env)) {
      const where = name.perRegion ? `account ${env.account}, ${env.region}` : `account ${env.account}`;
      const key = `${name.kind}\u0000${name.name}\u0000${where}`;
      if (seen.has(key)) continue; // duplicates inside one file are the per-file rules' to report
      seen.add(key);
      const first = owners.get(key);
      if (!first) {
        owners.set(key, { env, name });
        continue;
      }
      const advice =
        name.kind === "ECR repository"
          ? `a repository name ${first.env.name} does not use, or one shared repository declared in one environment only`
          : `a name that ${first.env.name} does not also produce`;
      issues.push({
        env: env.name,
        path: name.path,
        other: { env: first.env.name, path: first.name.path },
        message: `${name.kind} ${name.name} is also created by ${first.env.name} (${cite(first.env.name, first.name.path)}) in ${where}; ${name.rule}, so the second apply would fail (expected ${advice})`,
      });
    }
  }
  return issues;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, or undefined for something else. */
function parseArn(arn: string): { service: string; region: string; account: string } | undefined {
  const m = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):.+$/.exec(arn);
  return m ? { service: m[1]!, region: m[2]!, account: m[3]! } : undefined;
}

function arnIssues(envs: readonly EnvironmentConfig[], cite: (env: string, path: KeyPath) => string): CrossEnvironmentIssue[] {
  const issues: CrossEnvironmentIssue[] = [];
  /** Names the environment an account belongs to, when it is another loaded environment's. */
  const whose = (account: string, self: EnvironmentConfig) => {
    if (account === self.account) return undefined;
    const owner = envs.find((e) => e.account === account);
    return owner ? { owner, text: `, ${owner.name}'s account (${cite(owner.name, ["account"])})` } : undefined;
  };
  for (const env of envs) {
    env.applications.forEach((app, i) => {
      const arn = app.ingress?.certificateArn;
      const parsed = arn ? parseArn(arn) : undefined;
      if (!parsed) return;
      const path: KeyPath = ["applications", i, "ingress", "certificateArn"];
      if (parsed.account !== env.account) {
        const other = whose(parsed.account, env);
        issues.push({
          env: env.name,
          path,
          other: other ? { env: other.owner.name, path: ["account"] } : undefined,
          message: `the certificate belongs to account ${parsed.account}${other?.text ?? ""}; a load balancer uses certificates of its own account (expected a certificate of account ${env.account})`,
        });
      }
      if (parsed.region !== env.region) {
        const other = envs.find((e) => e.region === parsed.region && e.account === parsed.account && e.name !== env.name);
        issues.push({
          env: env.name,
          path,
          other: other ? { env: other.name, path: ["region"] } : undefined,
          message: `the certificate is in ${parsed.region}${other ? `, ${other.name}'s region (${cite(other.name, ["region"])})` : ""}; a load balancer uses ACM certificates of its own region (expected a certificate in ${env.region})`,
        });
      }
    });
    const principals: { arn: string; path: KeyPath }[] = [
      ...env.access.admins.map((arn, i) => ({ arn, path: ["access", "admins", i] as KeyPath })),
      ...env.access.viewers.map((arn, i) => ({ arn, path: ["access", "viewers", i] as KeyPath })),
      ...env.teams.flatMap((team, t) => team.editors.map((arn, i) => ({ arn, path: ["teams", t, "editors", i] as KeyPath }))),
    ];
    for (const { arn, path } of principals) {
      const parsed = parseArn(arn);
      const other = parsed ? whose(parsed.account, env) : undefined;
      if (!parsed || !other) continue;
      issues.push({
        env: env.name,
        path,
        other: { env: other.owner.name, path: ["account"] },
        message: `${arn} is in account ${parsed.account}${other.text}, not this environment's account ${env.account}; a cluster access entry names a principal of the cluster's account (expected a principal of account ${env.account})`,
      });
    }
  }
  return issues;
}
