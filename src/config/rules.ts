import type { z } from "zod";
import type { EnvironmentInput } from "./schema/environment";
import { contains, overlaps, parseNetwork } from "../../modules/core/cidr";
import { defaultSubnets } from "./subnets";
import { parseInstanceType } from "./instance-families";
import { formatPath } from "./errors";
import { checkApiReachability } from "./reachability";
import { checkCi } from "./ci-rules";
// Constants and rules only (modules never import src/config): what the monitoring module refuses at
// generation time, so that `shipyard validate` refuses the same input first, in the same words.
import {
  DEFAULT_LATENCY_BUCKETS,
  DEFAULT_SLO_PERIOD_DAYS,
  latencyThresholdProblem,
  unpageableObjectiveProblem,
} from "../../modules/monitoring/slo";
import { PLATFORM_TEAM } from "../../modules/core/names";
import { publicEndpointIssues } from "../../modules/eks-cluster/endpoint-rules";

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

/**
 * Rules that span several keys. Each reports at the key a person would edit to fix it. Secure defaults
 * that config may loosen only with a stated reason check `protection.waiverReason`.
 */
export function checkEnvironment(env: EnvironmentInput, ctx: z.RefinementCtx): void {
  const report: Report = (path, message) => ctx.addIssue({ code: "custom", path, message, params: { rule: true } });
  checkNetwork(env, report);
  checkPeers(env, report);
  checkCluster(env, report);
  checkApiReachability(env, report);
  checkNodeGroups(env, report);
  checkTeamsAndApplications(env, report);
  checkReferences(env, report);
  checkUnique(env, report);
  checkMonitoring(env, report);
  checkCi(env, ctx);
  if (env.audit.glacierTransitionDays >= env.audit.expirationDays) {
    report(
      ["audit", "glacierTransitionDays"],
      `got ${env.audit.glacierTransitionDays} (expected less than audit.expirationDays = ${env.audit.expirationDays})`,
    );
  }
}

function checkNetwork(env: EnvironmentInput, report: Report): void {
  const { cidr, azCount } = env.network;
  const prefix = parseNetwork(cidr).prefix;
  if (prefix < 16 || prefix > 24) {
    report(["network", "cidr"], `prefix /${prefix} is outside what Shipyard plans for (expected /16 to /24)`);
    return;
  }
  if (env.tier === "prod" && azCount < 3) {
    report(["network", "azCount"], `prod needs at least 3 availability zones, got ${azCount} (expected 3 or more)`);
  }
  if (env.tier === "prod" && env.network.natGateways !== "per-az") {
    report(["network", "natGateways"], "prod needs one NAT gateway per zone (expected per-az)");
  }
  const zones = env.network.availabilityZones;
  if (zones) {
    if (zones.length !== azCount) report(["network", "availabilityZones"], `lists ${zones.length} zones (expected azCount = ${azCount})`);
    zones.forEach((zone, i) => {
      if (!zone.startsWith(env.region))
        report(["network", "availabilityZones", i], `${zone} is not in region ${env.region} (expected a zone such as ${env.region}a)`);
    });
  }
  const planned = defaultSubnets(cidr, azCount);
  const subnets: { path: Path; cidr: string }[] = [];
  for (const kind of ["publicSubnets", "privateSubnets"] as const) {
    const list = env.network[kind] ?? planned[kind === "publicSubnets" ? "public" : "private"];
    if (env.network[kind] && list.length !== azCount) {
      report(["network", kind], `lists ${list.length} subnets but azCount is ${azCount} (expected one per zone)`);
    }
    list.forEach((subnet, i) => subnets.push({ path: ["network", kind, i], cidr: subnet }));
  }
  subnets.forEach((subnet, i) => {
    if (!contains(cidr, subnet.cidr))
      report(subnet.path, `${subnet.cidr} is not inside the VPC CIDR ${cidr} (expected a network within it)`);
    const prefixLength = parseNetwork(subnet.cidr).prefix;
    if (prefixLength > 28) report(subnet.path, `${subnet.cidr} is smaller than AWS allows (expected /28 or larger)`);
    for (const other of subnets.slice(0, i)) {
      if (overlaps(subnet.cidr, other.cidr))
        report(subnet.path, `${subnet.cidr} overlaps ${formatPath(other.path)} = ${other.cidr} (expected subnets that do not overlap)`);
    }
  });
}

function checkPeers(env: EnvironmentInput, report: Report): void {
  env.network.peers.forEach((peer, i) => {
    if (peer === env.name) report(["network", "peers", i], `names this environment itself (expected another environment's name)`);
  });
}

function checkCluster(env: EnvironmentInput, report: Report): void {
  const { endpoint } = env.cluster;
  const waived = env.protection.waiverReason !== undefined;
  if (!endpoint.private) report(["cluster", "endpoint", "private"], "the private endpoint must stay on (expected true)");
  for (const issue of publicEndpointIssues(endpoint)) report(["cluster", "endpoint", ...issue.key], issue.problem);
  if (env.tier === "prod" && endpoint.public && !waived) {
    report(["cluster", "endpoint", "public"], "prod keeps the public endpoint off (expected false, or protection.waiverReason)");
  }
  if (env.tier === "prod" && !env.cluster.deletionProtection && !waived) {
    report(["cluster", "deletionProtection"], "prod clusters carry deletion protection (expected true, or protection.waiverReason)");
  }
  if (env.tier === "prod" && !env.protection.preventDestroy && !waived) {
    report(["protection", "preventDestroy"], "prod protects stateful resources (expected true, or protection.waiverReason)");
  }
}

function checkNodeGroups(env: EnvironmentInput, report: Report): void {
  const groups = env.cluster.nodeGroups;
  if (!groups.some((g) => g.kind === "system")) {
    report(["cluster", "nodeGroups"], "has no group for cluster add-ons (expected a node group of kind system)");
  }
  groups.forEach((group, i) => {
    const path: Path = ["cluster", "nodeGroups", i];
    if (group.minSize > group.desiredSize || group.desiredSize > group.maxSize) {
      report(
        [...path, "desiredSize"],
        `got ${group.minSize} <= ${group.desiredSize} <= ${group.maxSize} (expected minSize <= desiredSize <= maxSize)`,
      );
    }
    if (!group.diskEncrypted) report([...path, "diskEncrypted"], "root volumes are always encrypted with the EBS key (expected true)");
    if (group.sshKeyName !== undefined) {
      report([...path, "sshKeyName"], "SSH access to nodes is not allowed; use SSM Session Manager (remove the key)");
    }
    const parsed = group.instanceTypes.map((type, j) => {
      const info = parseInstanceType(type);
      if (!info) report([...path, "instanceTypes", j], `${type} is not a known instance type (expected e.g. m6i.large)`);
      return info;
    });
    const known = parsed.filter((p) => p !== undefined);
    if (new Set(known.map((p) => p.architecture)).size > 1) {
      report([...path, "instanceTypes"], "mixes x86_64 and arm64 types (expected one architecture per group)");
    }
    if (group.kind === "spot") {
      if (group.instanceTypes.length < 3) {
        report(
          [...path, "instanceTypes"],
          `a spot group needs at least 3 instance types to survive interruptions, got ${group.instanceTypes.length} (expected 3 or more types of one size)`,
        );
      }
      if (new Set(known.map((p) => p.size)).size > 1) {
        report(
          [...path, "instanceTypes"],
          "spot types must be of one size so the autoscaler's estimates hold (expected e.g. m6i.large, m6a.large, m7i.large)",
        );
      }
    } else if (group.kind === "system" && group.minSize < (env.tier === "prod" ? 2 : 1)) {
      report([...path, "minSize"], `got ${group.minSize} (expected at least ${env.tier === "prod" ? 2 : 1} system nodes in ${env.tier})`);
    }
  });
}

function checkTeamsAndApplications(env: EnvironmentInput, report: Report): void {
  const teams = new Map(env.teams.map((t) => [t.name, t]));
  env.applications.forEach((app, i) => {
    const path: Path = ["applications", i];
    const team = teams.get(app.team);
    if (!team) {
      report([...path, "team"], `unknown team ${app.team} (expected one of: ${[...teams.keys()].join(", ")})`);
    } else if (!team.namespaces.includes(app.namespace)) {
      report(
        [...path, "namespace"],
        `${app.namespace} is not a namespace of team ${app.team} (expected one of: ${team.namespaces.join(", ")})`,
      );
    }
    if (app.replicas.min > app.replicas.max) {
      report([...path, "replicas", "min"], `got min ${app.replicas.min} > max ${app.replicas.max} (expected min <= max)`);
    }
    if (env.tier === "prod" && app.replicas.min < 2) {
      report([...path, "replicas", "min"], `prod runs at least 2 replicas, got ${app.replicas.min} (expected 2 or more)`);
    }
    if (env.tier === "prod" && !app.resources) {
      report([...path, "resources"], "prod applications declare requests and limits (expected resources.requests and resources.limits)");
    }
    if (app.ingress?.scheme === "internet-facing" && !app.ingress.certificateArn) {
      report([...path, "ingress", "certificateArn"], "an internet-facing ingress serves HTTPS only (expected an ACM certificate ARN)");
    }
  });
}

function checkReferences(env: EnvironmentInput, report: Report): void {
  const secrets = env.secrets.items.map((s) => s.name);
  const repositories = env.ecr.repositories.map((r) => r.name);
  const secretRef = (path: Path, name: string) => {
    if (!secrets.includes(name))
      report(path, `unknown secret ${name} (expected one of secrets.items: ${secrets.join(", ") || "none declared"})`);
  };
  env.applications.forEach((app, i) => {
    if (!repositories.includes(app.repository)) {
      report(
        ["applications", i, "repository"],
        `unknown repository ${app.repository} (expected one of ecr.repositories: ${repositories.join(", ") || "none declared"})`,
      );
    }
    app.secrets.forEach((name, j) => secretRef(["applications", i, "secrets", j], name));
  });
  secretRef(["monitoring", "grafana", "adminSecret"], env.monitoring.grafana.adminSecret);
  secretRef(["monitoring", "alerting", "pagerdutySecret"], env.monitoring.alerting.pagerdutySecret);
  secretRef(["monitoring", "alerting", "slackSecret"], env.monitoring.alerting.slackSecret);
  const heartbeatSecret = env.monitoring.alerting.heartbeat?.credentialsSecret;
  if (heartbeatSecret !== undefined) secretRef(["monitoring", "alerting", "heartbeat", "credentialsSecret"], heartbeatSecret);
}

function checkUnique(env: EnvironmentInput, report: Report): void {
  const unique = (values: string[], path: (i: number) => Path, what: string) => {
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (seen.has(value)) report(path(i), `duplicate ${what} ${value} (expected unique ${what}s)`);
      seen.add(value);
    });
  };
  unique(
    env.cluster.nodeGroups.map((g) => g.name),
    (i) => ["cluster", "nodeGroups", i, "name"],
    "node group name",
  );
  unique(
    env.teams.map((t) => t.name),
    (i) => ["teams", i, "name"],
    "team name",
  );
  // One ALB IngressGroup per team: a shared group would let one team's Ingress take another's hosts.
  const groups = new Map<string, string>();
  env.teams.forEach((t, i) => {
    const group = t.ingressGroup ?? t.name;
    const other = groups.get(group);
    if (other !== undefined) {
      report(
        ["teams", i, "ingressGroup"],
        `ingress group ${group} is already team ${other}'s (expected a group name of this team's own; teams never share an ALB IngressGroup)`,
      );
    }
    groups.set(group, t.name);
  });
  unique(
    env.applications.map((a) => a.name),
    (i) => ["applications", i, "name"],
    "application name",
  );
  unique(
    env.secrets.items.map((s) => s.name),
    (i) => ["secrets", "items", i, "name"],
    "secret name",
  );
  unique(
    env.ecr.repositories.map((r) => r.name),
    (i) => ["ecr", "repositories", i, "name"],
    "repository name",
  );
  const namespaces = env.teams.flatMap((t, i) => t.namespaces.map((ns, j) => ({ ns, path: ["teams", i, "namespaces", j] as Path })));
  const seen = new Set<string>();
  for (const { ns, path } of namespaces) {
    if (seen.has(ns)) report(path, `namespace ${ns} belongs to two teams (expected each namespace in one team)`);
    seen.add(ns);
  }
}

/** What the monitoring module would refuse at generation time, and routes to unknown teams. */
function checkMonitoring(env: EnvironmentInput, report: Report): void {
  env.applications.forEach((app, i) => {
    const path: Path = ["applications", i, "slo"];
    for (const [key, value] of [
      [["availability"], app.slo.availability],
      [["latency", "objective"], app.slo.latency.objective],
    ] as const) {
      const unpageable = unpageableObjectiveProblem(value);
      if (unpageable) report([...path, ...key], unpageable);
    }
    const threshold = latencyThresholdProblem(app.slo.latency.thresholdSeconds, "http_request_duration_seconds", DEFAULT_LATENCY_BUCKETS);
    if (threshold) report([...path, "latency", "thresholdSeconds"], threshold);
  });
  const alerting = new Set([PLATFORM_TEAM, ...env.teams.filter((t) => t.alerting).map((t) => t.name)]);
  const known = [...new Set([...env.teams.map((t) => t.name), PLATFORM_TEAM])].sort();
  (env.monitoring.alerting.routes ?? []).forEach((route, i) => {
    const path: Path = ["monitoring", "alerting", "routes", i];
    if (!known.includes(route.team)) {
      report([...path, "team"], `unknown team ${route.team} (expected one of: ${known.join(", ")})`);
    } else if (!alerting.has(route.team)) {
      report(
        [...path, "team"],
        `team ${route.team} has no alerting block, so Alertmanager has no receiver for it (expected a team with alerting, or ${PLATFORM_TEAM})`,
      );
    }
    if (!route.namespaces && !route.alertnames) {
      report(path, "matches every alert (expected namespaces, alertnames or both)");
    }
    // A route may take a namespace's alerts only to the team that owns it: nobody routes (or pages) another team.
    if (known.includes(route.team))
      route.namespaces?.forEach((ns, j) => {
        const owner = env.teams.find((t) => t.namespaces.includes(ns));
        if (owner && owner.name !== route.team) {
          report(
            [...path, "namespaces", j],
            `namespace ${ns} belongs to team ${owner.name}, so its alerts cannot be routed to ${route.team} (expected namespaces of team ${route.team} only)`,
          );
        }
      });
  });
  const { prometheus } = env.monitoring;
  if (env.applications.length > 0 && prometheus.retentionDays < DEFAULT_SLO_PERIOD_DAYS) {
    report(
      ["monitoring", "prometheus", "retentionDays"],
      `${prometheus.retentionDays} days is shorter than the ${DEFAULT_SLO_PERIOD_DAYS}-day SLO period of the applications' error budgets, which would be computed from missing data (expected at least ${DEFAULT_SLO_PERIOD_DAYS})`,
    );
  }
  // Slack app webhooks post to their own channel whatever `channel` says: one webhook secret per channel.
  // PagerDuty routing keys pick the service that pages: one per team.
  const shared = env.monitoring.alerting;
  const platformOwn = env.teams.find((t) => t.name === PLATFORM_TEAM);
  const webhookChannel = new Map<string, string>([
    [platformOwn?.alerting?.slackSecret ?? shared.slackSecret, platformOwn?.alerting?.slackChannel ?? shared.defaultSlackChannel],
  ]);
  const pagingKeys = new Map<string, string>();
  const platformPages = platformOwn?.alerting ? platformOwn.alerting.pagerduty : env.tier === "prod";
  if (platformPages) pagingKeys.set(platformOwn?.alerting?.pagerdutySecret ?? shared.pagerdutySecret, PLATFORM_TEAM);
  env.teams.forEach((team, i) => {
    if (!team.alerting || team.name === PLATFORM_TEAM) return;
    const webhook = team.alerting.slackSecret ?? shared.slackSecret;
    const channel = webhookChannel.get(webhook);
    if (channel !== undefined && channel !== team.alerting.slackChannel) {
      report(
        ["teams", i, "alerting", team.alerting.slackSecret ? "slackSecret" : "slackChannel"],
        `the Slack webhook in secret ${webhook} already posts to ${channel}, and Slack app webhooks ignore a channel override (expected teams[${i}].alerting.slackSecret naming a secret with the webhook of ${team.alerting.slackChannel})`,
      );
    }
    webhookChannel.set(webhook, team.alerting.slackChannel);
    const keys = env.secrets.items.find((s) => s.name === shared.pagerdutySecret)?.keys ?? [];
    if (team.alerting.pagerduty && !team.alerting.pagerdutySecret && !keys.includes(`${team.name}-routing-key`)) {
      const other = pagingKeys.get(shared.pagerdutySecret);
      if (other !== undefined) {
        report(
          ["teams", i, "alerting", "pagerduty"],
          `team ${team.name} would page through the routing key of team ${other} (secret ${shared.pagerdutySecret}) (expected teams[${i}].alerting.pagerdutySecret naming a secret with this team's routing key)`,
        );
      }
      pagingKeys.set(shared.pagerdutySecret, team.name);
    } else if (team.alerting.pagerduty && team.alerting.pagerdutySecret) {
      const other = pagingKeys.get(team.alerting.pagerdutySecret);
      if (other !== undefined) {
        report(
          ["teams", i, "alerting", "pagerdutySecret"],
          `secret ${team.alerting.pagerdutySecret} already holds the routing key of team ${other} (expected one secret per team)`,
        );
      }
      pagingKeys.set(team.alerting.pagerdutySecret, team.name);
    }
  });
  env.teams.forEach((team, i) => {
    for (const key of ["slackSecret", "pagerdutySecret"] as const) {
      const name = team.alerting?.[key];
      if (name && !env.secrets.items.some((s) => s.name === name)) {
        report(
          ["teams", i, "alerting", key],
          `unknown secret ${name} (expected one of secrets.items: ${env.secrets.items.map((s) => s.name).join(", ")})`,
        );
      }
    }
  });
}
