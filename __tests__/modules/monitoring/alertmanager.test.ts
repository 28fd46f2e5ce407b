import { describe, expect, it } from "vitest";
import { buildAlertmanagerConfig, secretFile, type AlertmanagerProps } from "../../../modules/monitoring";

const base: AlertmanagerProps = {
  teams: [
    { name: "platform", slackChannel: "#platform-alerts", pagerdutyRoutingKeyFile: secretFile("am-pagerduty", "routing-key") },
    { name: "shop", slackChannel: "#shop-alerts", slackApiUrlFile: secretFile("am-slack-shop", "webhook-url") },
  ],
  platformTeam: "platform",
  slackApiUrlFile: secretFile("am-slack", "webhook-url"),
  snsTopicArn: "arn:aws:sns:eu-west-1:111111111111:shipyard-dev-alerts",
  snsRegion: "eu-west-1",
};

describe("Alertmanager configuration", () => {
  const config = buildAlertmanagerConfig(base);

  it("defaults to the platform team's Slack channel, never a null receiver", () => {
    expect(config.route.receiver).toBe("slack-platform");
    const slack = config.receivers.find((r) => r.name === "slack-platform")!;
    expect(slack.slack_configs![0]).toMatchObject({
      channel: "#platform-alerts",
      api_url_file: "/etc/alertmanager/secrets/am-slack/webhook-url",
    });
    for (const receiver of config.receivers.filter((r) => r.name !== "watchdog-heartbeat")) {
      const integrations = [receiver.pagerduty_configs, receiver.slack_configs, receiver.sns_configs, receiver.webhook_configs].filter(
        Boolean,
      );
      expect(integrations.length, receiver.name).toBeGreaterThan(0);
    }
  });

  it("reads every credential from a mounted file, never a literal key", () => {
    const text = JSON.stringify(config);
    expect(text).not.toMatch(/"(routing_key|service_key|api_url|url)":/);
    expect(text).toContain('"routing_key_file":"/etc/alertmanager/secrets/am-pagerduty/routing-key"');
    expect(config.receivers.find((r) => r.name === "sns-tickets")!.sns_configs![0]).toMatchObject({
      topic_arn: base.snsTopicArn,
      sigv4: { region: "eu-west-1" },
    });
    expect(JSON.stringify(config.receivers.find((r) => r.name === "sns-tickets"))).not.toMatch(/access_key|secret_key/);
  });

  it("sends the Watchdog to its own receiver at a short repeat interval, first", () => {
    expect(config.route.routes![0]).toMatchObject({
      receiver: "watchdog-heartbeat",
      matchers: ['alertname="Watchdog"'],
      repeat_interval: "1m",
    });
    const withHeartbeat = buildAlertmanagerConfig({
      ...base,
      heartbeat: { url: "https://hc-ping.example.com/shipyard-dev", credentialsFile: secretFile("am-heartbeat", "token") },
    });
    expect(withHeartbeat.receivers.find((r) => r.name === "watchdog-heartbeat")!.webhook_configs![0]).toEqual({
      url: "https://hc-ping.example.com/shipyard-dev",
      send_resolved: false,
      http_config: { authorization: { type: "Bearer", credentials_file: "/etc/alertmanager/secrets/am-heartbeat/token" } },
    });
  });

  it("inhibits warnings and tickets of the same alert and namespace while a critical one fires", () => {
    expect(config.inhibit_rules[0]).toEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"warning|ticket"'],
      equal: ["alertname", "namespace"],
    });
  });

  it.each([
    ["an unknown platform team", { platformTeam: "ops" }, /platformTeam: unknown team ops \(expected one of teams: platform, shop\)/],
    [
      "a literal webhook URL",
      { slackApiUrlFile: "https://hooks.slack.com/services/T000/B000/XXXX" },
      /slackApiUrlFile: .* is not an absolute path to a mounted secret file/,
    ],
    ["a bad channel", { teams: [{ name: "platform", slackChannel: "platform" }] }, /teams\.platform\.slackChannel/],
    ["a duplicate team", { teams: [...base.teams, { name: "shop", slackChannel: "#x" }] }, /teams\.shop: is listed twice/],
    ["a bad topic", { snsTopicArn: "shipyard-dev-alerts" }, /snsTopicArn: .* is not an SNS topic ARN/],
    ["a heartbeat URL with a secret in it", { heartbeat: { url: "https://hc-ping.example.com/x?token=abc" } }, /heartbeat\.url/],
    ["a bad interval", { repeatInterval: "4 hours" }, /repeatInterval: "4 hours" is not a Prometheus duration/],
    [
      "a route to an unknown team",
      { routes: [{ team: "search", namespaces: ["search"] }] },
      /routes\[0\]\.team: unknown team search \(expected one of: platform, shop\)/,
    ],
    ["a route without matchers", { routes: [{ team: "shop" }] }, /routes\[0\]: matches every alert/],
    [
      "a route to a bad namespace",
      { routes: [{ team: "shop", namespaces: ["Shop"] }] },
      /routes\[0\]\.namespaces\[0\]: "Shop" is not a DNS label/,
    ],
  ])("refuses %s", (_, override, message) => {
    expect(() => buildAlertmanagerConfig({ ...base, ...(override as Partial<AlertmanagerProps>) })).toThrowError(message);
  });

  it("puts extra routes after the Watchdog and before the teams, to the team's receivers by severity, first match wins", () => {
    const routed = buildAlertmanagerConfig({
      ...base,
      routes: [{ team: "shop", namespaces: ["shop-batch", "ingress"], alertnames: ["KubeHpaMaxedOut"] }],
    });
    const routes = routed.route.routes!;
    expect(routes[0]!.receiver).toBe("watchdog-heartbeat");
    expect(routes[1]).toEqual({
      receiver: "slack-shop",
      matchers: ['namespace=~"shop-batch|ingress"', 'alertname=~"KubeHpaMaxedOut"'],
      routes: [
        { receiver: "slack-shop", matchers: ['severity="critical"'], repeat_interval: "1h" },
        { receiver: "slack-shop", matchers: ['severity="warning"'] },
        { receiver: "sns-tickets", matchers: ['severity="ticket"'], repeat_interval: "24h" },
      ],
      continue: false,
    });
    expect(routes[2]!.matchers).toEqual(['team="platform"']);
    const toPlatform = buildAlertmanagerConfig({ ...base, routes: [{ team: "platform", alertnames: ["KubeNodeNotReady"] }] }).route
      .routes![1]!;
    expect(toPlatform.matchers).toEqual(['alertname=~"KubeNodeNotReady"']);
    expect(toPlatform.routes![0]).toMatchObject({ receiver: "pagerduty-platform", continue: true });
  });

  it("sends the Watchdog to a webhook with a bearer token from a file when a heartbeat is configured", () => {
    const withHeartbeat = buildAlertmanagerConfig({
      ...base,
      heartbeat: { url: "https://heartbeat.example.com/ping/dev-watchdog", credentialsFile: secretFile("am-heartbeat", "token") },
    });
    expect(withHeartbeat.receivers.find((r) => r.name === "watchdog-heartbeat")).toEqual({
      name: "watchdog-heartbeat",
      webhook_configs: [
        {
          url: "https://heartbeat.example.com/ping/dev-watchdog",
          send_resolved: false,
          http_config: { authorization: { type: "Bearer", credentials_file: "/etc/alertmanager/secrets/am-heartbeat/token" } },
        },
      ],
    });
  });

  it("accepts a Terraform token as the topic ARN", () => {
    const token = "${aws_sns_topic.alerts.arn}";
    expect(JSON.stringify(buildAlertmanagerConfig({ ...base, snsTopicArn: token }))).toContain(token);
  });

  it("posts each team's Slack alerts through the webhook of its own channel", () => {
    const shop = config.receivers.find((r) => r.name === "slack-shop")!;
    expect(shop.slack_configs![0]).toMatchObject({
      channel: "#shop-alerts",
      api_url_file: "/etc/alertmanager/secrets/am-slack-shop/webhook-url",
    });
  });

  it("refuses one webhook for two channels and one PagerDuty routing key for two teams", () => {
    const sharedWebhook = { ...base, teams: [base.teams[0]!, { name: "shop", slackChannel: "#shop-alerts" }] };
    expect(() => buildAlertmanagerConfig(sharedWebhook)).toThrow(
      /teams.shop.slackApiUrlFile: .*am-slack\/webhook-url already posts to #platform-alerts/,
    );
    const sharedKey = {
      ...base,
      teams: [base.teams[0]!, { ...base.teams[1]!, pagerdutyRoutingKeyFile: secretFile("am-pagerduty", "routing-key") }],
    };
    expect(() => buildAlertmanagerConfig(sharedKey)).toThrow(/teams.shop.pagerdutyRoutingKeyFile: .* already pages team platform/);
  });
});
