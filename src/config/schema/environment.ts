import { z } from "zod";
import { awsAccountId, awsRegion, shortName, tagMap } from "./common";
import { stateSchema } from "./state";
import { networkSchema } from "./network";
import { clusterSchema } from "./cluster";
import { accessSchema, teamSchema } from "./access";
import { ecrSchema } from "./registry";
import { secretsSchema } from "./secrets";
import { applicationSchema } from "./applications";
import { auditSchema, backupSchema, monitoringSchema, protectionSchema } from "./operations";
import { ciSchema } from "./ci";
import { checkEnvironment } from "../rules";
import { deriveEnvironment } from "../derive";

export const TIERS = ["dev", "staging", "prod"] as const;
export type Tier = (typeof TIERS)[number];

/** The shape of `environments/<env>.yaml` once tier defaults are applied, before derived values. */
export const environmentObjectSchema = z.strictObject({
  /** Editor hint only (`$schema`); ignored by Shipyard. */
  $schema: z.string().optional(),
  /** Environment name; must equal the file name (`prod` for prod.yaml). */
  name: shortName,
  tier: z.enum(TIERS),
  account: awsAccountId,
  region: awsRegion,
  tags: tagMap,
  state: stateSchema,
  network: networkSchema,
  cluster: clusterSchema,
  access: accessSchema,
  teams: z.array(teamSchema).min(1),
  ecr: ecrSchema,
  secrets: secretsSchema,
  applications: z.array(applicationSchema).default([]),
  monitoring: monitoringSchema,
  backup: backupSchema,
  audit: auditSchema,
  protection: protectionSchema,
  /** Delivery tooling this environment hosts (Jenkins in `tools`). */
  ci: ciSchema.optional(),
});
export type EnvironmentInput = z.output<typeof environmentObjectSchema>;

/** Validates, checks the cross-field rules, then fills the derived values (subnets, zones). */
export const environmentSchema = environmentObjectSchema
  // Cross-field rules run only on a value whose every field is valid: they compute with those values.
  .pipe(z.custom<EnvironmentInput>().superRefine(checkEnvironment))
  .transform(deriveEnvironment);

/** A validated environment: what every stack, generator and the CLI consume. Treat it as read-only. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
