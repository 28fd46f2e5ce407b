import { z } from "zod";
import { SLACK_CHANNEL } from "../../../modules/monitoring/receivers";
import { cpuQuantity, dnsLabel, iamPrincipalArn, memoryQuantity } from "./common";

export const accessSchema = z.strictObject({
  /** Principals with AmazonEKSClusterAdminPolicy; also the KMS key administrators. */
  admins: z.array(iamPrincipalArn).min(1),
  /** Principals with cluster-wide read access (AmazonEKSViewPolicy: no Secrets). */
  viewers: z.array(iamPrincipalArn).default([]),
  /**
   * The break-glass administrator: a role (or user) kept out of daily use that administers every KMS key
   * and can repair the deployer and the boundary when the admins are gone or locked out. Named
   * explicitly in every key policy (no `kms:*` to the whole account).
   */
  breakGlass: iamPrincipalArn,
  deployer: z.strictObject({
    /** The Jenkins agent role that may assume the deployer role. */
    trustedPrincipal: iamPrincipalArn,
    /** sts:ExternalId the trusted principal must present. */
    externalId: z.string().min(2).max(1224).optional(),
  }),
});
export type AccessConfig = z.output<typeof accessSchema>;

export const teamSchema = z.strictObject({
  name: dnsLabel,
  /** Namespaces the team owns; each gets quota, limits, default-deny policy and RBAC. */
  namespaces: z.array(dnsLabel).min(1),
  /** Principals that edit the team's namespaces, through the team's RBAC Role only (no EKS access policy). */
  editors: z.array(iamPrincipalArn).default([]),
  quota: z.strictObject({
    requestsCpu: cpuQuantity,
    requestsMemory: memoryQuantity,
    limitsCpu: cpuQuantity,
    limitsMemory: memoryQuantity,
    pods: z.number().int().min(1).max(10000),
    /** Sum of storage requested by the team's PersistentVolumeClaims (`requests.storage`). */
    requestsStorage: z
      .string()
      .regex(/^\d+(Mi|Gi|Ti)$/, "a storage quantity such as 100Gi")
      .default("100Gi"),
    /** Number of PersistentVolumeClaims (each one an EBS volume). */
    persistentVolumeClaims: z.number().int().min(0).max(1000).default(10),
  }),
  /**
   * ALB IngressGroup of the team: its Ingresses share the team's load balancers (`<ingressGroup>-public` and
   * `<ingressGroup>-internal`), which no other team's namespace can join. Unique across teams.
   */
  ingressGroup: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/, "a lowercase name of up to 42 characters such as payments")
    .optional(),
  alerting: z
    .strictObject({
      slackChannel: z.string().regex(SLACK_CHANNEL, "a Slack channel such as #payments-alerts"),
      /** Page this team's on-call for critical alerts. */
      pagerduty: z.boolean().default(true),
      /**
       * Secret (from `secrets.items`, key `webhook-url`) with the Slack webhook of this team's channel: Slack app
       * webhooks post to the channel they were made for and ignore a channel override.
       * @default monitoring.alerting.slackSecret (only right when that webhook posts to this channel)
       */
      slackSecret: z.string().optional(),
      /** Secret (from `secrets.items`, key `routing-key`) with the team's PagerDuty routing key. @default monitoring.alerting.pagerdutySecret */
      pagerdutySecret: z.string().optional(),
    })
    .optional(),
});
export type TeamConfig = z.output<typeof teamSchema>;
