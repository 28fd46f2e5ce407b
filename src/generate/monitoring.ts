import { stringify } from "yaml";
import { alertsTopicName as topicName } from "../../modules/iam/naming";
import type { EnvironmentConfig } from "../config";
import {
  buildAlertmanagerConfig,
  platformAlertGroups,
  promtoolTests,
  RECEIVERS,
  secretFile,
  sloRuleGroupsByService,
  type AlertmanagerConfig,
  type AlertmanagerTeam,
  type RuleGroup,
  type ServiceLevelObjective,
} from "../../modules/monitoring";
import { dashboards } from "../../modules/monitoring/dashboards";
import { PLATFORM_TEAM, ShipyardValidationError } from "../../modules/core";
import { toJson, type Generator } from "./types";

/**
 * Monitoring artefacts derived from the environment config: Prometheus rules, their promtool unit
 * tests, the Alertmanager configuration with amtool routing expectations, and the dashboards.
 *
 * The functions exported here are also what the Helm release of kube-prometheus-stack consumes
 * (see modules/monitoring/README.md).
 */

/** Name of the SNS topic for ticket alerts that the foundation stack creates: `shipyard-<env>-alerts`. */
export function alertsTopicName(env: Pick<EnvironmentConfig, "clusterName">): string {
  return topicName(env.clusterName);
}

/** The topic's ARN built from account and region (for generated files; stacks pass the real token). */
export function alertsTopicArn(env: Pick<EnvironmentConfig, "clusterName" | "region" | "account">): string {
  return `arn:aws:sns:${env.region}:${env.account}:${alertsTopicName(env)}`;
}

/** One objective per application, in config order. */
export function serviceLevelObjectives(env: EnvironmentConfig): ServiceLevelObjective[] {
  return env.applications.map((app) => ({
    name: app.name,
    namespace: app.namespace,
    team: app.team,
    availability: app.slo.availability,
    latency: { thresholdSeconds: app.slo.latency.thresholdSeconds, objective: app.slo.latency.objective },
  }));
}

/** Namespaces per team (the platform team's own namespaces are cluster-wide anyway). */
export function teamNamespaces(env: EnvironmentConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const team of env.teams) if (team.name !== PLATFORM_TEAM) out[team.name] = [...team.namespaces];
  return out;
}

/** Re-throws a module validation error with the config key a person would edit. */
function atConfigPath<T>(env: EnvironmentConfig, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ShipyardValidationError) {
      const m = /^services\[(\d+)\]\.(.*)$/.exec(error.path);
      const path = m ? `applications[${m[1]}].slo.${m[2] === "availability" ? "availability" : m[2]}` : `monitoring (${error.path})`;
      throw new ShipyardValidationError(`environments/${env.name}.yaml: ${path}`, error.message.slice(error.path.length + 2));
    }
    throw error;
  }
}

/** The rule groups of the environment, split by concern: one file per application, one for the platform. */
export interface MonitoringRuleFile {
  /** `platform` or `slo-<namespace>-<application>`: written to `rules/<name>.yaml`. */
  readonly name: string;
  readonly groups: RuleGroup[];
  /** The application's objective, for its SLO file. */
  readonly slo?: ServiceLevelObjective;
}

/**
 * The environment's rules by file: each application's SLO recording rules and burn-rate alerts
 * (`slo-<namespace>-<name>`), then the platform alerts and the Watchdog (`platform`).
 */
export function prometheusRuleFiles(env: EnvironmentConfig): MonitoringRuleFile[] {
  return atConfigPath(env, () => [
    ...sloRuleGroupsByService({ services: serviceLevelObjectives(env), runbookBaseUrl: env.monitoring.runbookBaseUrl }).map(
      ({ service, groups }) => ({
        name: `slo-${service.namespace}-${service.name}`,
        groups,
        slo: service,
      }),
    ),
    {
      name: "platform",
      groups: platformAlertGroups({
        runbookBaseUrl: env.monitoring.runbookBaseUrl,
        platformTeam: PLATFORM_TEAM,
        teamNamespaces: teamNamespaces(env),
      }),
    },
  ]);
}

/**
 * Every rule group for the environment: SLO recording rules and burn-rate alerts per application,
 * then the platform alerts and the Watchdog. Use as `additionalPrometheusRulesMap.<name>.groups` of
 * kube-prometheus-stack, or as the `spec.groups` of a PrometheusRule.
 */
export function prometheusRuleGroups(env: EnvironmentConfig): RuleGroup[] {
  return prometheusRuleFiles(env).flatMap((f) => f.groups);
}

function secretKeys(env: EnvironmentConfig, name: string): readonly string[] {
  return env.secrets.items.find((s) => s.name === name)?.keys ?? [];
}

/**
 * PagerDuty routing key file of a team: `routing-key` of the team's own secret (`teams[].alerting.pagerdutySecret`),
 * else the key `<team>-routing-key` of the shared PagerDuty secret when it holds one, else its `routing-key`.
 */
function pagerdutyKeyFile(env: EnvironmentConfig, team: string): string {
  const own = env.teams.find((t) => t.name === team)?.alerting?.pagerdutySecret;
  if (own) return secretFile(own, "routing-key");
  const secret = env.monitoring.alerting.pagerdutySecret;
  const keys = secretKeys(env, secret);
  return secretFile(secret, keys.includes(`${team}-routing-key`) ? `${team}-routing-key` : "routing-key");
}

/** Slack webhook file of a team with its own secret (`teams[].alerting.slackSecret`); else the shared one applies. */
function slackWebhookFile(env: EnvironmentConfig, team: string): { slackApiUrlFile?: string } {
  const own = env.teams.find((t) => t.name === team)?.alerting?.slackSecret;
  return own ? { slackApiUrlFile: secretFile(own, "webhook-url") } : {};
}

/** Teams as Alertmanager sees them: config teams with an `alerting` block, plus the platform team. */
export function alertmanagerTeams(env: EnvironmentConfig): AlertmanagerTeam[] {
  const teams: AlertmanagerTeam[] = [];
  const own = env.teams.find((t) => t.name === PLATFORM_TEAM);
  // The platform team pages only for production; elsewhere its critical alerts go to Slack.
  teams.push({
    name: PLATFORM_TEAM,
    slackChannel: own?.alerting?.slackChannel ?? env.monitoring.alerting.defaultSlackChannel,
    ...slackWebhookFile(env, PLATFORM_TEAM),
    ...((own?.alerting ? own.alerting.pagerduty : env.tier === "prod")
      ? { pagerdutyRoutingKeyFile: pagerdutyKeyFile(env, PLATFORM_TEAM) }
      : {}),
  });
  for (const team of env.teams) {
    if (team.name === PLATFORM_TEAM || !team.alerting) continue;
    teams.push({
      name: team.name,
      slackChannel: team.alerting.slackChannel,
      ...slackWebhookFile(env, team.name),
      ...(team.alerting.pagerduty ? { pagerdutyRoutingKeyFile: pagerdutyKeyFile(env, team.name) } : {}),
    });
  }
  return teams;
}

/**
 * The Alertmanager configuration for kube-prometheus-stack's `alertmanager.config`. `snsTopicArn` is
 * the alerts topic; at synth time it is a Terraform token (`${aws_sns_topic...arn}`).
 * Mount the secrets of {@link alertmanagerSecretNames} with `alertmanager.alertmanagerSpec.secrets`.
 */
export function alertmanagerConfig(env: EnvironmentConfig, snsTopicArn: string): AlertmanagerConfig {
  const heartbeat = env.monitoring.alerting.heartbeat;
  return buildAlertmanagerConfig({
    teams: alertmanagerTeams(env),
    platformTeam: PLATFORM_TEAM,
    slackApiUrlFile: secretFile(env.monitoring.alerting.slackSecret, "webhook-url"),
    snsTopicArn,
    snsRegion: env.region,
    routes: env.monitoring.alerting.routes.map((r) => ({
      team: r.team,
      ...(r.namespaces ? { namespaces: r.namespaces } : {}),
      ...(r.alertnames ? { alertnames: r.alertnames } : {}),
    })),
    ...(heartbeat
      ? {
          heartbeat: {
            url: heartbeat.url,
            ...(heartbeat.credentialsSecret ? { credentialsFile: secretFile(heartbeat.credentialsSecret, "token") } : {}),
          },
        }
      : {}),
  });
}

/** Kubernetes Secrets (synced from Secrets Manager, same names and keys) Alertmanager reads files from. */
export function alertmanagerSecretNames(env: EnvironmentConfig): string[] {
  const { pagerdutySecret, slackSecret, heartbeat } = env.monitoring.alerting;
  const teamSecrets = env.teams
    .flatMap((t) => [t.alerting?.slackSecret, t.alerting?.pagerdutySecret])
    .filter((s): s is string => s !== undefined);
  return [
    ...new Set([pagerdutySecret, slackSecret, ...teamSecrets, ...(heartbeat?.credentialsSecret ? [heartbeat.credentialsSecret] : [])]),
  ].sort();
}

/**
 * Routing expectations for `amtool config routes test`: one line per label set,
 * `<receivers, comma-separated> <label=value …>`. Derived from the teams' settings, independently of
 * the route tree, so a test of the generated configuration against them means something.
 */
export function routingExpectations(env: EnvironmentConfig): { labels: Record<string, string>; receivers: string[] }[] {
  const out: { labels: Record<string, string>; receivers: string[] }[] = [];
  for (const team of alertmanagerTeams(env)) {
    const slack = RECEIVERS.slack(team.name);
    out.push(
      {
        labels: { alertname: "ExampleCritical", severity: "critical", team: team.name },
        receivers: team.pagerdutyRoutingKeyFile ? [RECEIVERS.pagerduty(team.name), slack] : [slack],
      },
      { labels: { alertname: "ExampleWarning", severity: "warning", team: team.name }, receivers: [slack] },
      { labels: { alertname: "ExampleTicket", severity: "ticket", team: team.name }, receivers: [RECEIVERS.tickets] },
      { labels: { alertname: "ExampleNoSeverity", team: team.name }, receivers: [slack] },
    );
  }
  // Extra routes: an alert they match, labelled for another team (the platform team, or "other" for
  // a route to the platform team), reaches the route's team, by severity.
  for (const route of env.monitoring.alerting.routes) {
    const team = alertmanagerTeams(env).find((t) => t.name === route.team)!;
    const matched = {
      alertname: route.alertnames?.[0] ?? "ExampleRouted",
      ...(route.namespaces ? { namespace: route.namespaces[0]! } : {}),
      team: team.name === PLATFORM_TEAM ? "no-such-team" : PLATFORM_TEAM,
    };
    const slack = RECEIVERS.slack(team.name);
    out.push(
      {
        labels: { ...matched, severity: "critical" },
        receivers: team.pagerdutyRoutingKeyFile ? [RECEIVERS.pagerduty(team.name), slack] : [slack],
      },
      { labels: { ...matched, severity: "warning" }, receivers: [slack] },
    );
  }
  const platform = alertmanagerTeams(env).find((t) => t.name === PLATFORM_TEAM)!;
  const platformCritical = platform.pagerdutyRoutingKeyFile
    ? [RECEIVERS.pagerduty(PLATFORM_TEAM), RECEIVERS.slack(PLATFORM_TEAM)]
    : [RECEIVERS.slack(PLATFORM_TEAM)];
  out.push(
    { labels: { alertname: "Watchdog", severity: "none", team: PLATFORM_TEAM }, receivers: [RECEIVERS.heartbeat] },
    { labels: { alertname: "ExampleCritical", severity: "critical", team: "no-such-team" }, receivers: platformCritical },
    { labels: { alertname: "ExampleWarning", severity: "warning", team: "no-such-team" }, receivers: [RECEIVERS.slack(PLATFORM_TEAM)] },
    { labels: { alertname: "ExampleTicket", severity: "ticket" }, receivers: [RECEIVERS.tickets] },
    { labels: { alertname: "ExampleUnlabelled" }, receivers: [RECEIVERS.slack(PLATFORM_TEAM)] },
  );
  return out;
}

const YAML_OPTIONS = { lineWidth: 0, sortMapEntries: false } as const;

function yamlFile(header: string, value: unknown): string {
  return `# ${header}\n# Generated by \`shipyard snapshot\` from environments/*.yaml; do not edit.\n${stringify(value, YAML_OPTIONS)}`;
}

/** The files of one environment, keyed by path relative to `generated/`. */
export function monitoringFiles(env: EnvironmentConfig): Record<string, string> {
  const ruleFiles = prometheusRuleFiles(env);
  const dir = `monitoring/${env.name}`;
  const rulePath = (name: string) => `rules/${name}.yaml`;
  const platform = ruleFiles.find((f) => f.name === "platform")!;
  const suites = promtoolTests({
    platform: { path: `../${rulePath(platform.name)}`, groups: platform.groups },
    services: ruleFiles.filter((f) => f.slo).map((f) => ({ path: `../${rulePath(f.name)}`, groups: f.groups, slo: f.slo! })),
    platformTeam: PLATFORM_TEAM,
    teamNamespaces: teamNamespaces(env),
  });
  const routes = routingExpectations(env)
    .map(
      (e) =>
        `${e.receivers.join(",")} ${Object.entries(e.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}`,
    )
    .join("\n");
  const files: Record<string, string> = {};
  for (const file of ruleFiles) {
    files[`${dir}/${rulePath(file.name)}`] = yamlFile(
      `Prometheus rules for ${env.name}, ${file.slo ? `SLO of ${file.slo.namespace}/${file.slo.name}` : "platform alerts and the Watchdog"} (promtool check rules rules/*.yaml).`,
      { groups: file.groups },
    );
  }
  for (const suite of suites) {
    files[`${dir}/tests/${suite.name}.test.yaml`] = yamlFile(
      `promtool unit tests, ${suite.description}: promtool test rules tests/*.test.yaml`,
      suite.file,
    );
  }
  files[`${dir}/alertmanager.yaml`] = yamlFile(
    `Alertmanager configuration for ${env.name} (amtool check-config). SNS topic ${alertsTopicName(env)}.`,
    alertmanagerConfig(env, alertsTopicArn(env)),
  );
  files[`${dir}/routes.test.txt`] =
    `# amtool config routes test expectations for alertmanager.yaml: <receivers> <labels…> per line.\n` +
    `# amtool config routes test --config.file=alertmanager.yaml --verify.receivers=<receivers> <labels…>\n${routes}\n`;
  return files;
}

/** Dashboards (global, not per environment), keyed `dashboards/<uid>.json`. */
export function dashboardFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const dashboard of dashboards()) files[`dashboards/${dashboard.uid}.json`] = toJson(dashboard);
  return files;
}

export const monitoringGenerator: Generator = {
  name: "monitoring rules, Alertmanager configuration and dashboards",
  owns: ["monitoring", "dashboards"],
  generate: (envs) => {
    const files: Record<string, string> = {};
    for (const env of envs) Object.assign(files, monitoringFiles(env));
    return { ...files, ...dashboardFiles() };
  },
};
