import { z } from "zod";
import { awsRegion, dnsLabel } from "./common";

/** Local state: the default, so synthesis and plans run offline. */
const localState = z.strictObject({
  backend: z.literal("local"),
  /** Folder for state files, relative to the project root; never absolute. */
  directory: z
    .string()
    .regex(/^(?!\/)(?!.*\.\.)[\w./-]+$/, "a folder relative to the project root (no leading '/', no '..')")
    .default("terraform-state"),
});

/** Terraform Cloud: one named workspace per stack, `<prefix>-<env>-<layer>`. */
const cloudState = z.strictObject({
  backend: z.literal("cloud"),
  organization: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "a Terraform Cloud organization name"),
  workspacePrefix: dnsLabel.default("shipyard"),
  /** Terraform Cloud project that holds the workspaces. */
  project: z.string().min(1).max(40).optional(),
  hostname: z
    .string()
    .regex(/^[a-z0-9.-]+$/, "a host name such as app.terraform.io")
    .default("app.terraform.io"),
});

/** S3 state with native locking (`use_lockfile`), no DynamoDB table. */
const s3State = z.strictObject({
  backend: z.literal("s3"),
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name"),
  keyPrefix: z
    .string()
    .regex(/^[\w./-]*$/, "an S3 key prefix")
    .default("shipyard"),
  region: awsRegion.optional(),
  kmsKeyArn: z
    .string()
    .regex(/^arn:aws(-[a-z]+)?:kms:/, "a KMS key ARN")
    .optional(),
});

export const stateSchema = z.discriminatedUnion("backend", [localState, cloudState, s3State]);
export type StateConfig = z.output<typeof stateSchema>;
