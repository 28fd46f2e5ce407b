import { z } from "zod";
import { acmCertificateArn, cpuQuantity, dnsLabel, memoryQuantity } from "./common";
import { DNS_HOST_NAME } from "../../../modules/core/names";
import { HTTP_PATH } from "../../../modules/workload/endpoint";
import { TERMINATION_GRACE_SECONDS as G } from "../../../modules/workload/limits";
import { SETTING_NAME } from "../../../modules/workload/settings";

const resources = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
  limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
});

/** Percent strictly between 0 and 100: 100 % leaves no error budget, 0 % promises nothing. */
const objectivePercent = z
  .number()
  .gt(0, "an objective above 0 % (0 % promises nothing)")
  .lt(100, "an objective below 100 % (100 % leaves no error budget)");

export const applicationSchema = z.strictObject({
  name: dnsLabel,
  team: dnsLabel,
  namespace: dnsLabel,
  /** ECR repository name from `ecr.repositories`; the tag is a Terraform variable set at deploy time. */
  repository: z.string(),
  port: z.number().int().min(1024).max(65535),
  replicas: z.strictObject({
    min: z.number().int().min(1).max(500),
    max: z.number().int().min(1).max(500),
    targetCpuPercent: z.number().int().min(10).max(95).default(70),
    targetMemoryPercent: z.number().int().min(10).max(95).default(80),
  }),
  /** Requests and limits; required in prod. */
  resources: resources.optional(),
  healthPath: z.string().regex(HTTP_PATH).default("/healthz"),
  readyPath: z.string().regex(HTTP_PATH).default("/readyz"),
  metricsPath: z.string().regex(HTTP_PATH).default("/metrics"),
  /** Seconds between SIGTERM and SIGKILL; the app drains within it. */
  terminationGraceSeconds: z.number().int().min(G.min).max(G.max).default(G.default),
  ingress: z
    .strictObject({
      host: z.string().regex(DNS_HOST_NAME, "a DNS host name"),
      scheme: z.enum(["internal", "internet-facing"]),
      /** ACM certificate for HTTPS; required for an internet-facing ingress. */
      certificateArn: acmCertificateArn.optional(),
      path: z.string().regex(HTTP_PATH).default("/"),
    })
    .optional(),
  slo: z.strictObject({
    /** Share of non-5xx responses, in percent (e.g. 99.9). */
    availability: objectivePercent,
    latency: z.strictObject({
      /** Requests faster than this count as good. */
      thresholdSeconds: z.number().gt(0, "a latency threshold above zero seconds").max(60),
      /** Share of requests faster than the threshold, in percent. */
      objective: objectivePercent,
    }),
  }),
  /** Names of secrets from `secrets.items` mounted through ExternalSecrets. */
  secrets: z.array(z.string()).default([]),
  /** Non-secret settings, published as a ConfigMap and environment variables. */
  config: z.record(z.string().regex(SETTING_NAME, "an environment variable name in UPPER_SNAKE_CASE"), z.string()).default({}),
});
export type ApplicationConfig = z.output<typeof applicationSchema>;
