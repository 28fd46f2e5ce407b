import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktf/provider-aws/lib/secretsmanager-secret-policy";
import { ShipyardValidationError } from "../core";
import { denyInsecureTransport, principalArnForCondition, secretName, unique, validatePrincipalArns } from "../iam";
import { SECRET_NAME } from "./names";

/** Reading a value: only the reader roles (External Secrets) and the administrators. */
export const SECRET_READ_ACTIONS: readonly string[] = ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"];
/** Writing a value: only the administrators (operator runbook) and rotation roles. */
export const SECRET_WRITE_ACTIONS: readonly string[] = [
  "secretsmanager:PutSecretValue",
  "secretsmanager:UpdateSecretVersionStage",
  "secretsmanager:RotateSecret",
  "secretsmanager:CancelRotateSecret",
];

export interface SecretItem {
  /** Short name, e.g. `grafana-admin`; the secret is `<prefix>/<name>`. */
  readonly name: string;
  readonly description: string;
  /** JSON keys the value holds (recorded as the `shipyard:keys` tag for the runbook and External Secrets). */
  readonly keys: readonly string[];
}

export interface SecretsProps {
  /** Name prefix, `shipyard-<env>`: secrets are `shipyard-<env>/<name>`. */
  readonly namePrefix: string;
  /** The secrets to create (names, descriptions, expected keys); values never pass through Terraform. */
  readonly items: readonly SecretItem[];
  /** Customer key for the values. */
  readonly kmsKeyArn: string;
  /** Days a deleted secret can be restored, 7-30 (0, deletion without recovery, is refused). @default 30 */
  readonly recoveryWindowDays?: number;
  /** Roles that read values: the External Secrets role `shipyard-<env>-external-secrets` (deterministic ARN). */
  readonly readerRoleArns: readonly string[];
  /** Administrators: read and write values (the put-secret-value runbook). At least one. */
  readonly administratorArns: readonly string[];
  /** Roles that write values besides the administrators, e.g. a rotation function. @default none */
  readonly writerRoleArns?: readonly string[];
}

/**
 * Secrets Manager secrets without values: Terraform creates the secret (name, description, key,
 * recovery window, resource policy) and never a version, so no value reaches state, plan output or
 * `generated/`. Values are put by an operator or a rotation function (see README.md).
 */
export class Secrets extends Construct {
  /** Secret ARNs by short name. */
  public readonly secretArns: Readonly<Record<string, string>>;
  /** Secret names (`shipyard-<env>/<name>`) by short name. */
  public readonly secretNames: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    validate(props);
    const admins = props.administratorArns.map(principalArnForCondition);
    const readers = unique([...props.readerRoleArns.map(principalArnForCondition), ...admins]);
    const writers = unique([...admins, ...(props.writerRoleArns ?? []).map(principalArnForCondition)]);
    const arns: Record<string, string> = {};
    const names: Record<string, string> = {};
    for (const item of props.items) {
      const name = secretName(props.namePrefix, item.name);
      const secret = new SecretsmanagerSecret(this, item.name, {
        name,
        description: item.description,
        kmsKeyId: props.kmsKeyArn,
        recoveryWindowInDays: props.recoveryWindowDays ?? 30,
        tags: { Name: name, "shipyard:keys": item.keys.join(" ") },
      });
      // `*` in a resource policy is this secret.
      const document = new DataAwsIamPolicyDocument(this, `${item.name}-policy-document`, {
        statement: [
          denyInsecureTransport(["secretsmanager:*"], ["*"]),
          {
            sid: "DenyReadToOthers",
            effect: "Deny",
            principals: [{ type: "AWS", identifiers: ["*"] }],
            actions: [...SECRET_READ_ACTIONS],
            resources: ["*"],
            condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: readers }],
          },
          {
            sid: "DenyWriteToOthers",
            effect: "Deny",
            principals: [{ type: "AWS", identifiers: ["*"] }],
            actions: [...SECRET_WRITE_ACTIONS],
            resources: ["*"],
            condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: writers }],
          },
        ],
      });
      new SecretsmanagerSecretPolicy(this, `${item.name}-policy`, {
        secretArn: secret.arn,
        policy: document.json,
        blockPublicPolicy: true,
      });
      arns[item.name] = secret.arn;
      names[item.name] = secret.name;
    }
    this.secretArns = arns;
    this.secretNames = names;
  }
}

function validate(props: SecretsProps): void {
  const window = props.recoveryWindowDays ?? 30;
  if (!Number.isInteger(window) || window < 7 || window > 30) {
    throw new ShipyardValidationError("recoveryWindowDays", `expected 7-30 days (deletion must be recoverable), got ${window}`);
  }
  validatePrincipalArns("readerRoleArns", props.readerRoleArns, { minimum: 1 });
  validatePrincipalArns("administratorArns", props.administratorArns, { minimum: 1 });
  validatePrincipalArns("writerRoleArns", props.writerRoleArns ?? []);
  const seen = new Set<string>();
  props.items.forEach((item, i) => {
    if (!SECRET_NAME.test(item.name))
      throw new ShipyardValidationError(`items[${i}].name`, `${item.name} is not a secret name (a-z, 0-9, '-')`);
    if (seen.has(item.name)) throw new ShipyardValidationError(`items[${i}].name`, `duplicate secret ${item.name}`);
    seen.add(item.name);
    if (item.keys.length === 0) throw new ShipyardValidationError(`items[${i}].keys`, "expected at least one JSON key");
    if ("value" in item || "secretString" in item) {
      throw new ShipyardValidationError(
        `items[${i}]`,
        "secret values never go through Terraform (they would land in state and plan output)",
      );
    }
  });
}
