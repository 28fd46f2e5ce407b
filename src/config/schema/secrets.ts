import { z } from "zod";
import { SECRET_NAME, SECRET_VALUE_KEY } from "../../../modules/secrets/names";

/**
 * A Secrets Manager secret. Only its name and metadata live in config; the value is put in by an
 * operator or a rotation function after the foundation stack is applied, never by Terraform.
 */
export const secretSchema = z.strictObject({
  name: z.string().regex(SECRET_NAME, "a secret name: a-z, 0-9 and '-'"),
  description: z.string().min(1).max(2048),
  /** JSON keys the secret value holds, e.g. [admin-user, admin-password]; used by ExternalSecrets. */
  keys: z.array(z.string().regex(SECRET_VALUE_KEY)).min(1),
});
export type SecretConfig = z.output<typeof secretSchema>;

export const secretsSchema = z.strictObject({
  /** Days a deleted secret can be restored (0 is refused: deletion must be recoverable). */
  recoveryWindowDays: z.number().int().min(7).max(30),
  items: z.array(secretSchema).default([]),
});
export type SecretsConfig = z.output<typeof secretsSchema>;
