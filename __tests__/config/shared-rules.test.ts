import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { BACKUP_SCHEDULE_NAME, FIVE_FIELD_CRON } from "../../modules/addons/velero/schedule";
import { EXACT_PLUGIN } from "../../modules/addons/jenkins/plugins";
import { AWS_ACCOUNT_ID, AWS_REGION } from "../../modules/core/aws";
import { SHORT_NAME } from "../../modules/core/names";
import { HTTPS_URL_WITHOUT_SECRETS, SLACK_CHANNEL } from "../../modules/monitoring/receivers";
import { SECRET_NAME, SECRET_VALUE_KEY } from "../../modules/secrets/names";
import {
  awsAccountId,
  awsRegion,
  backupSchema,
  jenkinsPlugin,
  monitoringSchema,
  nodeGroupSchema,
  secretSchema,
  shortName,
} from "../../src/config/schema";

/**
 * Strings that sit on the edges of the shared rules: lengths, first and last characters, case, and one
 * valid example of each rule.
 */
const SAMPLES = [
  "",
  "a",
  "ab",
  "a-",
  "-a",
  "1a",
  "Ab",
  "api-token",
  "a".repeat(24),
  "a".repeat(25),
  "a".repeat(41),
  "a".repeat(42),
  "a".repeat(63),
  "a".repeat(64),
  "daily",
  "0 3 * * *",
  "0 3 * *",
  "#payments-alerts",
  "#",
  "https://hc-ping.com/abc",
  "https://user@hc-ping.com/abc",
  "https://hc-ping.com/abc?key=1",
  "KubeHpaMaxedOut",
  "9Lives",
  "API_TOKEN",
  "admin.password",
  "eu-west-1",
  "us-gov-west-1",
  "eu-west-1a",
  "123456789012",
  "12345678901",
  "deploy+role@ci",
  "shipyard.io/team",
  "v1.19.5-eksbuild.1",
  "1.33",
  "1.3",
  "team/service",
  "Team/Service",
  "git:5.10.1",
  "git:latest",
  "git",
];

/** Each config field whose rule a module also checks, with the module's definition of that rule. */
const SHARED: ReadonlyArray<[string, z.ZodType, RegExp]> = [
  ["node group name (node-groups)", nodeGroupSchema.shape.name, SHORT_NAME],
  ["environment name", shortName, SHORT_NAME],
  ["backup schedule name (velero)", backupSchema.shape.schedules.element.shape.name, BACKUP_SCHEDULE_NAME],
  ["backup schedule cron (velero)", backupSchema.shape.schedules.element.shape.cron, FIVE_FIELD_CRON],
  ["secret name (secrets)", secretSchema.shape.name, SECRET_NAME],
  ["secret value key (workload)", secretSchema.shape.keys.element, SECRET_VALUE_KEY],
  ["Slack channel (alertmanager)", monitoringSchema.shape.alerting.shape.defaultSlackChannel, SLACK_CHANNEL],
  ["heartbeat URL (alertmanager)", monitoringSchema.shape.alerting.shape.heartbeat.unwrap().shape.url, HTTPS_URL_WITHOUT_SECRETS],
  ["Jenkins plugin (jenkins)", jenkinsPlugin, EXACT_PLUGIN],
  ["AWS region (add-ons)", awsRegion, AWS_REGION],
  ["AWS account id (iam)", awsAccountId, AWS_ACCOUNT_ID],
];

describe("rules the config schema and the modules share", () => {
  it.each(SHARED)("config accepts exactly what the module accepts: %s", (_label, schema, pattern) => {
    const byConfig = SAMPLES.filter((v) => schema.safeParse(v).success);
    expect(byConfig).toEqual(SAMPLES.filter((v) => pattern.test(v)));
    // The samples exercise the rule both ways.
    expect(byConfig.length).toBeGreaterThan(0);
    expect(byConfig.length).toBeLessThan(SAMPLES.length);
  });
});

/** Regular expression literals written in both layers on purpose: the same shape, different facts. */
const COINCIDENCES: Readonly<Record<string, string>> = {
  [String(/^https:\/\/\S+$/)]: "a Helm chart repository (modules/addons/release.ts) vs GitHub's API and OIDC issuer URLs (ci.github)",
};

describe("one source for each rule", () => {
  it("no regular expression literal is written both in src/config and in modules/", () => {
    const config = new Set(regexLiterals("src/config"));
    const both = [...new Set(regexLiterals("modules"))].filter((r) => config.has(r) && !(r in COINCIDENCES));
    expect(both, "define the rule once in modules/ and import it in src/config").toEqual([]);
  });
});

/** The anchored regular expression literals (`/^…/flags`) of the .ts files under a folder. */
function regexLiterals(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .flatMap((f) => literalsIn(readFileSync(join(dir, f), "utf8")));
}

function literalsIn(source: string): string[] {
  const found: string[] = [];
  for (let start = source.indexOf("/^"); start !== -1; start = source.indexOf("/^", start + 1)) {
    let inClass = false;
    let end = start + 1;
    for (; end < source.length; end++) {
      const c = source[end];
      if (c === "\\") end++;
      else if (c === "\n") break;
      else if (inClass) inClass = c !== "]";
      else if (c === "[") inClass = true;
      else if (c === "/") break;
    }
    if (source[end] !== "/") continue;
    const flags = /^[dgimsuvy]*/.exec(source.slice(end + 1))![0];
    found.push(source.slice(start, end + 1 + flags.length));
  }
  return found;
}
