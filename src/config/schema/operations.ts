import { z } from "zod";
import { DNS_LABEL } from "../../../modules/core/names";
import { ALERT_NAME, HTTPS_URL_WITHOUT_SECRETS, SLACK_CHANNEL } from "../../../modules/monitoring/receivers";
import { BACKUP_SCHEDULE_NAME, FIVE_FIELD_CRON } from "../../../modules/addons/velero/schedule";
import { retentionDays } from "./common";
import { CHECKOV_SKIPS } from "../../policy/checkov-skips";

/** Checkov checks an environment may waive (with a reason). */
const WAIVABLE_CHECKS = CHECKOV_SKIPS.filter((s) => s.waivable).map((s) => s.id);

export const monitoringSchema = z.strictObject({
  prometheus: z.strictObject({
    /** Days of metrics kept; at least the SLO period (30 days: the error budgets and their dashboards read that far back). */
    retentionDays: z.number().int().min(1).max(365),
    storageGiB: z.number().int().min(10).max(16384),
    cpu: z.string().regex(/^(\d+m|\d+(\.\d+)?)$/),
    memory: z.string().regex(/^\d+(Mi|Gi)$/),
    replicas: z.number().int().min(1).max(3),
  }),

  grafana: z.strictObject({
    /** Secrets Manager secret (from `secrets.items`) holding `admin-user` and `admin-password`. */
    adminSecret: z.string(),
    storageGiB: z.number().int().min(1).max(1000),
  }),
  alerting: z.strictObject({
    /** Secret holding the PagerDuty Events v2 routing key (mounted as a file in Alertmanager). */
    pagerdutySecret: z.string(),
    /** Secret holding the Slack incoming webhook URL (mounted as a file in Alertmanager). */
    slackSecret: z.string(),
    defaultSlackChannel: z.string().regex(SLACK_CHANNEL, "a Slack channel such as #platform-alerts"),
    /**
     * Dead-man's switch that Alertmanager pings with the always-firing Watchdog (healthchecks.io,
     * Opsgenie heartbeat …). `url` holds no secret; `credentialsSecret` (from `secrets.items`, key
     * `token`) is sent as a Bearer token.
     */
    heartbeat: z
      .strictObject({
        url: z
          .string()
          .regex(HTTPS_URL_WITHOUT_SECRETS, "an https URL without query string or user info (put the secret in credentialsSecret)"),
        credentialsSecret: z.string().optional(),
      })
      .optional(),
    /**
     * Extra routes, tried in order after the Watchdog and before the per-team routes: an alert that
     * matches every matcher of a route (namespace among `namespaces` and alert name among
     * `alertnames`, whichever are given) goes to that team's receivers (by severity, like the team's
     * own alerts) and to no other route (`continue: false`, first match wins). `team` is a team of
     * `teams` with an `alerting` block, or `platform`.
     */
    routes: z
      .array(
        z.strictObject({
          team: z.string(),
          namespaces: z.array(z.string().regex(DNS_LABEL, "a Kubernetes namespace such as payments")).min(1).optional(),
          alertnames: z.array(z.string().regex(ALERT_NAME, "an alert name such as KubeHpaMaxedOut")).min(1).optional(),
        }),
      )
      .default([]),
  }),
  runbookBaseUrl: z.string().url(),
});
export type MonitoringConfig = z.output<typeof monitoringSchema>;

export const backupSchema = z.strictObject({
  schedules: z.array(
    z.strictObject({
      name: z.string().regex(BACKUP_SCHEDULE_NAME),
      /** Cron in the cluster's time zone (UTC). */
      cron: z.string().regex(FIVE_FIELD_CRON, "a five-field cron expression"),
      ttlHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 400),
    }),
  ),
  /** Days before backup objects move to infrequent access and expire. */
  bucketExpirationDays: z.number().int().min(1).max(3650),
});
export type BackupConfig = z.output<typeof backupSchema>;

export const auditSchema = z.strictObject({
  /** CloudWatch Logs retention of the CloudTrail log group. */
  logRetentionDays: retentionDays,
  /** Days before trail objects move to Glacier; must be less than the expiration. */
  glacierTransitionDays: z.number().int().min(30).max(3650),
  expirationDays: z.number().int().min(90).max(3650),
  /** Record S3 object-level (data) events of the backup bucket in the trail; billed per event. */
  s3DataEvents: z.boolean().default(false),
});
export type AuditConfig = z.output<typeof auditSchema>;

export const protectionSchema = z
  .strictObject({
    /** `prevent_destroy` on keys, buckets, repositories and the cluster. */
    preventDestroy: z.boolean(),
    /** KMS key deletion window (7-30 days). */
    kmsDeletionWindowDays: z.number().int().min(7).max(30),
    /** Why a secure default was loosened; required whenever config does that. */
    waiverReason: z.string().min(10).optional(),
    /**
     * Checkov checks this environment waives, from the waivable ones in `src/policy/checkov-skips.ts`
     * (e.g. cross-region replication in dev). Needs `waiverReason`.
     */
    waivedChecks: z.array(z.string().regex(/^CKV2?_[A-Z0-9]+_\d+$/, "a Checkov check id such as CKV_AWS_144")).default([]),
  })
  .superRefine((value, ctx) => {
    value.waivedChecks.forEach((id, i) => {
      if (/^CKV2?_[A-Z0-9]+_\d+$/.test(id) && !WAIVABLE_CHECKS.includes(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["waivedChecks", i],
          message: `a check an environment may waive: one of ${WAIVABLE_CHECKS.join(", ")}`,
        });
      }
    });
    if (value.waivedChecks.length > 0 && !value.waiverReason) {
      ctx.addIssue({
        code: "custom",
        path: ["waiverReason"],
        message: "a reason why protection.waivedChecks do not apply to this environment",
      });
    }
  });
export type ProtectionConfig = z.output<typeof protectionSchema>;
