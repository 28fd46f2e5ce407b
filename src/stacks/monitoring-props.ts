import type { EnvironmentConfig } from "../config";
import {
  buildAlertmanagerConfig,
  platformAlertGroups,
  secretFile,
  sloRuleGroupsByService,
  type AlertmanagerConfig,
  type AlertmanagerTeam,
  type RuleGroup,
  type ServiceLevelObjective,
} from "../../modules/monitoring";
import { PLATFORM_TEAM, ShipyardValidationError } from "../../modules/core";

/**
 * Config → the monitoring module's props: the objectives, rule groups and Alertmanager configuration of an
 * environment. The platform stack hands them to kube-prometheus-stack; the monitoring generator
 * (src/generate/monitoring.ts) writes the same values to `generated/monitoring/<env>/` with their tests.
 */

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

/** Re-throws a module's validation error naming the environment file; the module's own key in parentheses. */
function inEnvironmentFile<T>(env: EnvironmentConfig, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ShipyardValidationError) {
      throw new ShipyardValidationError(`environments/${env.name}.yaml: monitoring (${error.path})`, error.problem);
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
  const runbookBaseUrl = env.monitoring.runbookBaseUrl;
  // The platform alerts are built first: they refuse a bad runbook URL before the SLO rules could.
  const platform = inEnvironmentFile(env, () =>
    platformAlertGroups({ runbookBaseUrl, platformTeam: PLATFORM_TEAM, teamNamespaces: teamNamespaces(env) }),
  );
  const services = sloRuleGroupsByService({
    services: serviceLevelObjectives(env),
    runbookBaseUrl,
    // serviceLevelObjectives keeps the order of `applications`.
    servicePath: (i) => `environments/${env.name}.yaml: applications[${i}].slo`,
  });
  return [
    ...services.map(({ service, groups }) => ({ name: `slo-${service.namespace}-${service.name}`, groups, slo: service })),
    { name: "platform", groups: platform },
  ];
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
