import { ShipyardValidationError } from "../core";
import { WATCHDOG } from "./platform";
import { ALERT_NAME, HTTPS_URL_WITHOUT_SECRETS, SLACK_CHANNEL } from "./receivers";
import { oneOf, quote, requireDnsLabel, requireDuration } from "./util";

/** Where the Prometheus Operator mounts `alertmanagerSpec.secrets`: `<dir>/<secret>/<key>`. */
export const ALERTMANAGER_SECRETS_DIR = "/etc/alertmanager/secrets";

/** Path of a key of a Kubernetes Secret mounted through `alertmanagerSpec.secrets`. */
export function secretFile(secret: string, key: string, dir: string = ALERTMANAGER_SECRETS_DIR): string {
  return `${dir}/${secret}/${key}`;
}

export interface AlertmanagerTeam {
  /** The value of the alerts' `team` label. */
  readonly name: string;
  /** Channel for warnings (and a copy of critical alerts). */
  readonly slackChannel: string;
  /**
   * Mounted file with the Slack webhook URL of this team's channel. Slack app webhooks post to the channel
   * they were created for and ignore `channel`, so two channels never share one webhook (refused).
   * @default the `slackApiUrlFile` of the props (for the team whose channel that webhook posts to)
   */
  readonly slackApiUrlFile?: string;
  /**
   * Mounted file holding this team's PagerDuty Events v2 routing key. When set, critical alerts page;
   * otherwise they go to Slack only.
   * @default undefined (no paging)
   */
  readonly pagerdutyRoutingKeyFile?: string;
}

/** A dead-man's switch endpoint (e.g. healthchecks.io, Opsgenie heartbeat) that the Watchdog pings. */
export interface HeartbeatProps {
  /** The ping URL; must not contain a secret (use `credentialsFile`). */
  readonly url: string;
  /**
   * Mounted file with the credential sent in the Authorization header.
   * @default undefined (no Authorization header)
   */
  readonly credentialsFile?: string;
  /**
   * Authorization scheme (`Bearer`, `GenieKey` …).
   * @default "Bearer"
   */
  readonly authorizationType?: string;
}

/**
 * A route that sends some alerts to a team whatever their `team` label: those from the given
 * namespaces and/or with the given names (every given matcher must match).
 */
export interface AlertmanagerExtraRoute {
  /** One of `teams`. */
  readonly team: string;
  /** @default any namespace */
  readonly namespaces?: readonly string[];
  /** @default any alert name */
  readonly alertnames?: readonly string[];
}

export interface AlertmanagerProps {
  /** Every team that alerts carry in their `team` label, the platform team included. */
  readonly teams: readonly AlertmanagerTeam[];
  /** The team whose Slack channel receives whatever matches no other route (never a null receiver). */
  readonly platformTeam: string;
  /** Mounted file with the Slack incoming webhook URL (`api_url_file`). */
  readonly slackApiUrlFile: string;
  /** SNS topic receiving `ticket` alerts; may be a Terraform token at synth time. */
  readonly snsTopicArn: string;
  /** Region of the SNS topic, for SigV4 (credentials come from the pod's IRSA role). */
  readonly snsRegion: string;
  /**
   * Dead-man's switch the Watchdog route pings.
   * @default undefined: the Watchdog route still exists, with a receiver that sends nothing
   */
  readonly heartbeat?: HeartbeatProps;
  /**
   * Extra routes, tried in order after the Watchdog and before the per-team routes. An alert that
   * matches one goes to that team's receivers (by severity, like the team's own alerts) and stops
   * there (`continue: false`): it does not also reach the team of its `team` label.
   * @default []
   */
  readonly routes?: readonly AlertmanagerExtraRoute[];
  /**
   * Labels alerts are grouped by.
   * @default ["alertname", "namespace", "service"]
   */
  readonly groupBy?: readonly string[];
  /** @default "30s" */
  readonly groupWait?: string;
  /** @default "5m" */
  readonly groupInterval?: string;
  /**
   * Repeat of still-firing warnings.
   * @default "4h"
   */
  readonly repeatInterval?: string;
  /**
   * Repeat of still-firing critical alerts.
   * @default "1h"
   */
  readonly criticalRepeatInterval?: string;
  /**
   * Repeat of still-firing tickets.
   * @default "24h"
   */
  readonly ticketRepeatInterval?: string;
  /**
   * Watchdog repeat: how often the dead-man's switch hears from us. Keep it well below the switch's
   * grace period.
   * @default "1m"
   */
  readonly heartbeatInterval?: string;
}

/* The configuration file's shape (the subset Shipyard writes). */
export interface AlertmanagerRoute {
  readonly receiver?: string;
  readonly matchers?: readonly string[];
  readonly group_by?: readonly string[];
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly continue?: boolean;
  readonly routes?: readonly AlertmanagerRoute[];
}

export interface AlertmanagerReceiver {
  readonly name: string;
  readonly pagerduty_configs?: readonly Record<string, unknown>[];
  readonly slack_configs?: readonly Record<string, unknown>[];
  readonly sns_configs?: readonly Record<string, unknown>[];
  readonly webhook_configs?: readonly Record<string, unknown>[];
}

export interface InhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  readonly equal: readonly string[];
}

export interface AlertmanagerConfig {
  readonly global: { readonly resolve_timeout: string };
  readonly route: AlertmanagerRoute;
  readonly inhibit_rules: readonly InhibitRule[];
  readonly receivers: readonly AlertmanagerReceiver[];
}

/** Receiver names, so tests and routing expectations do not repeat the strings. */
export const RECEIVERS = {
  slack: (team: string) => `slack-${team}`,
  pagerduty: (team: string) => `pagerduty-${team}`,
  tickets: "sns-tickets",
  heartbeat: "watchdog-heartbeat",
} as const;

const match = (label: string, value: string) => `${label}=${quote(value)}`;

const SLACK_TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ if .CommonLabels.namespace }} ({{ .CommonLabels.namespace }}){{ end }}';
const SLACK_TEXT =
  "{{ range .Alerts }}*{{ .Labels.severity }}* {{ .Annotations.summary }}\n{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}";

function requireFile(path: string, value: string): void {
  if (!/^\/[\w./-]+$/.test(value) || value.includes("..")) {
    throw new ShipyardValidationError(
      path,
      `"${value}" is not an absolute path to a mounted secret file (expected e.g. ${secretFile("alertmanager-slack", "webhook-url")})`,
    );
  }
}

/**
 * The Alertmanager configuration: routes by team then severity, grouping, inhibition, the Watchdog
 * heartbeat route, and a default route to the platform team's Slack channel.
 *
 * - `critical` → the team's PagerDuty (when it has a routing key) and, with `continue`, its Slack
 *   channel; a team without PagerDuty gets critical alerts in Slack.
 * - `warning` (and anything else of a known team) → the team's Slack channel.
 * - `ticket` → the SNS topic (one receiver; the `team` travels as a message attribute).
 * - `alertname="Watchdog"` → the heartbeat receiver, repeated every `heartbeatInterval`.
 * - `routes` (extra routes, in order, before the teams): a matching alert goes to that team's
 *   receivers as above, and to nothing else (`continue: false`).
 * - no route matched → the platform team's Slack channel; a critical alert of an unknown team pages
 *   the platform team.
 *
 * Credentials are read from mounted files only (`routing_key_file`, `api_url_file`,
 * `credentials_file`); SNS signs with the pod's IRSA credentials.
 */
export function buildAlertmanagerConfig(props: AlertmanagerProps): AlertmanagerConfig {
  const groupBy = props.groupBy ?? ["alertname", "namespace", "service"];
  const intervals = {
    groupWait: props.groupWait ?? "30s",
    groupInterval: props.groupInterval ?? "5m",
    repeatInterval: props.repeatInterval ?? "4h",
    criticalRepeatInterval: props.criticalRepeatInterval ?? "1h",
    ticketRepeatInterval: props.ticketRepeatInterval ?? "24h",
    heartbeatInterval: props.heartbeatInterval ?? "1m",
  };
  for (const [key, value] of Object.entries(intervals)) requireDuration(key, value);
  requireFile("slackApiUrlFile", props.slackApiUrlFile);
  if (!/^(arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}|\$\{.+\})$/.test(props.snsTopicArn)) {
    throw new ShipyardValidationError(
      "snsTopicArn",
      `"${props.snsTopicArn}" is not an SNS topic ARN (expected arn:aws:sns:<region>:<account>:<name>, or a Terraform token)`,
    );
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.snsRegion)) {
    throw new ShipyardValidationError("snsRegion", `"${props.snsRegion}" is not an AWS region (expected e.g. eu-west-1)`);
  }

  const teams = [...props.teams].sort((a, b) => a.name.localeCompare(b.name));
  const seen = new Set<string>();
  teams.forEach((team) => {
    requireDnsLabel(`teams.${team.name}.name`, team.name);
    if (seen.has(team.name)) throw new ShipyardValidationError(`teams.${team.name}`, "is listed twice (expected unique team names)");
    seen.add(team.name);
    if (!SLACK_CHANNEL.test(team.slackChannel)) {
      throw new ShipyardValidationError(
        `teams.${team.name}.slackChannel`,
        `"${team.slackChannel}" is not a Slack channel (expected e.g. #payments-alerts)`,
      );
    }
    if (team.pagerdutyRoutingKeyFile !== undefined) requireFile(`teams.${team.name}.pagerdutyRoutingKeyFile`, team.pagerdutyRoutingKeyFile);
    if (team.slackApiUrlFile !== undefined) requireFile(`teams.${team.name}.slackApiUrlFile`, team.slackApiUrlFile);
  });
  // One webhook per channel, one routing key per team: a shared one would post (or page) in the wrong place.
  const webhookChannel = new Map<string, string>();
  const keyTeam = new Map<string, string>();
  teams.forEach((team) => {
    const webhook = team.slackApiUrlFile ?? props.slackApiUrlFile;
    const channel = webhookChannel.get(webhook);
    if (channel !== undefined && channel !== team.slackChannel) {
      throw new ShipyardValidationError(
        `teams.${team.name}.slackApiUrlFile`,
        `${webhook} already posts to ${channel}; Slack app webhooks ignore the channel override, so ${team.slackChannel} needs a webhook of its own`,
      );
    }
    webhookChannel.set(webhook, team.slackChannel);
    if (team.pagerdutyRoutingKeyFile) {
      const other = keyTeam.get(team.pagerdutyRoutingKeyFile);
      if (other !== undefined) {
        throw new ShipyardValidationError(
          `teams.${team.name}.pagerdutyRoutingKeyFile`,
          `${team.pagerdutyRoutingKeyFile} already pages team ${other} (expected a routing key per team)`,
        );
      }
      keyTeam.set(team.pagerdutyRoutingKeyFile, team.name);
    }
  });
  const platform = teams.find((t) => t.name === props.platformTeam);
  if (!platform) {
    throw new ShipyardValidationError(
      "platformTeam",
      `unknown team ${props.platformTeam} (expected one of teams: ${teams.map((t) => t.name).join(", ") || "none"})`,
    );
  }
  if (props.heartbeat) {
    const url = props.heartbeat.url;
    if (!HTTPS_URL_WITHOUT_SECRETS.test(url)) {
      throw new ShipyardValidationError(
        "heartbeat.url",
        `"${url}" is not an https URL without query or user info (put the secret in credentialsFile)`,
      );
    }
    if (props.heartbeat.credentialsFile) requireFile("heartbeat.credentialsFile", props.heartbeat.credentialsFile);
  }

  const extraRoutes = props.routes ?? [];
  extraRoutes.forEach((r, i) => {
    if (!seen.has(r.team)) {
      throw new ShipyardValidationError(
        `routes[${i}].team`,
        `unknown team ${r.team} (expected one of: ${teams.map((t) => t.name).join(", ")})`,
      );
    }
    if (!r.namespaces?.length && !r.alertnames?.length)
      throw new ShipyardValidationError(`routes[${i}]`, "matches every alert (expected namespaces, alertnames or both)");
    r.namespaces?.forEach((ns, j) => requireDnsLabel(`routes[${i}].namespaces[${j}]`, ns));
    r.alertnames?.forEach((name, j) => {
      if (!ALERT_NAME.test(name))
        throw new ShipyardValidationError(
          `routes[${i}].alertnames[${j}]`,
          `"${name}" is not an alert name (expected e.g. KubeHpaMaxedOut)`,
        );
    });
  });

  const teamRoute = (team: AlertmanagerTeam, matchers: readonly string[] = [match("team", team.name)]): AlertmanagerRoute => ({
    receiver: RECEIVERS.slack(team.name),
    matchers,
    routes: [
      ...(team.pagerdutyRoutingKeyFile
        ? [
            {
              receiver: RECEIVERS.pagerduty(team.name),
              matchers: [match("severity", "critical")],
              repeat_interval: intervals.criticalRepeatInterval,
              continue: true,
            },
          ]
        : []),
      {
        receiver: RECEIVERS.slack(team.name),
        matchers: [match("severity", "critical")],
        repeat_interval: intervals.criticalRepeatInterval,
      },
      { receiver: RECEIVERS.slack(team.name), matchers: [match("severity", "warning")] },
      { receiver: RECEIVERS.tickets, matchers: [match("severity", "ticket")], repeat_interval: intervals.ticketRepeatInterval },
    ],
  });

  const route: AlertmanagerRoute = {
    receiver: RECEIVERS.slack(platform.name),
    group_by: groupBy,
    group_wait: intervals.groupWait,
    group_interval: intervals.groupInterval,
    repeat_interval: intervals.repeatInterval,
    routes: [
      {
        receiver: RECEIVERS.heartbeat,
        matchers: [match("alertname", WATCHDOG)],
        group_by: ["alertname"],
        group_wait: "0s",
        group_interval: intervals.heartbeatInterval,
        repeat_interval: intervals.heartbeatInterval,
      },
      // Extra routes: first match wins, the alert goes to no other route.
      ...extraRoutes.map((r) => ({
        ...teamRoute(
          teams.find((t) => t.name === r.team)!,
          [
            ...(r.namespaces?.length ? [oneOf("namespace", r.namespaces)] : []),
            ...(r.alertnames?.length ? [oneOf("alertname", r.alertnames)] : []),
          ],
        ),
        continue: false,
      })),
      ...teams.map((team) => teamRoute(team)),
      // Alerts whose team label is missing or unknown.
      { receiver: RECEIVERS.tickets, matchers: [match("severity", "ticket")], repeat_interval: intervals.ticketRepeatInterval },
      ...(platform.pagerdutyRoutingKeyFile
        ? [
            {
              receiver: RECEIVERS.pagerduty(platform.name),
              matchers: [match("severity", "critical")],
              repeat_interval: intervals.criticalRepeatInterval,
              continue: true,
            },
          ]
        : []),
      {
        receiver: RECEIVERS.slack(platform.name),
        matchers: [match("severity", "critical")],
        repeat_interval: intervals.criticalRepeatInterval,
      },
    ],
  };

  const receivers: AlertmanagerReceiver[] = [
    {
      name: RECEIVERS.heartbeat,
      ...(props.heartbeat
        ? {
            webhook_configs: [
              {
                url: props.heartbeat.url,
                send_resolved: false,
                ...(props.heartbeat.credentialsFile
                  ? {
                      http_config: {
                        authorization: {
                          type: props.heartbeat.authorizationType ?? "Bearer",
                          credentials_file: props.heartbeat.credentialsFile,
                        },
                      },
                    }
                  : {}),
              },
            ],
          }
        : {}),
    },
    { name: RECEIVERS.tickets, sns_configs: [snsConfig(props.snsTopicArn, props.snsRegion)] },
  ];
  for (const team of teams) {
    if (team.pagerdutyRoutingKeyFile) {
      receivers.push({
        name: RECEIVERS.pagerduty(team.name),
        pagerduty_configs: [
          {
            routing_key_file: team.pagerdutyRoutingKeyFile,
            send_resolved: true,
            severity: "critical",
            description: "{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}",
            group: team.name,
            links: [{ href: "{{ .CommonAnnotations.runbook_url }}", text: "Runbook" }],
          },
        ],
      });
    }
    receivers.push({
      name: RECEIVERS.slack(team.name),
      slack_configs: [
        {
          api_url_file: team.slackApiUrlFile ?? props.slackApiUrlFile,
          channel: team.slackChannel,
          send_resolved: true,
          title: SLACK_TITLE,
          text: SLACK_TEXT,
        },
      ],
    });
  }
  // Every route must point at a defined receiver (Alertmanager refuses the file otherwise).
  const names = new Set(receivers.map((r) => r.name));
  const check = (r: AlertmanagerRoute) => {
    if (r.receiver && !names.has(r.receiver)) throw new Error(`internal: route to undefined receiver ${r.receiver}`);
    r.routes?.forEach(check);
  };
  check(route);

  return {
    global: { resolve_timeout: "5m" },
    route,
    inhibit_rules: [
      // A critical alert silences the warning and ticket of the same alert in the same namespace.
      {
        source_matchers: [match("severity", "critical")],
        target_matchers: ['severity=~"warning|ticket"'],
        equal: ["alertname", "namespace"],
      },
      // A paging SLO burn silences the ticket of the same objective.
      {
        source_matchers: [match("severity", "critical"), 'slo=~".+"'],
        target_matchers: [match("severity", "ticket"), 'slo=~".+"'],
        equal: ["namespace", "service", "slo"],
      },
    ],
    receivers,
  };
}

function snsConfig(topicArn: string, region: string): Record<string, unknown> {
  return {
    topic_arn: topicArn,
    sigv4: { region },
    send_resolved: true,
    subject: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} {{ .CommonLabels.namespace }}",
    message: SLACK_TEXT,
    attributes: { severity: "ticket", team: '{{ or .CommonLabels.team "unknown" }}' },
  };
}
