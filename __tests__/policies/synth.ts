/** Helpers for reading synthesized Terraform JSON in module and stack tests. */
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import type { Statement } from "../../src/check/iam-actions";

export type Json = Record<string, any>;

/** A statement in `aws_iam_policy_document` shape (the one the policy checks read). */
export type { Statement } from "../../src/check/iam-actions";

/** Synthesizes a scope with the AWS provider and returns the parsed stack JSON. */
export function synth(build: (scope: Construct) => void): Json {
  return JSON.parse(Testing.synthScope(build)) as Json;
}

/** Resources of one type, by logical id. */
export function resources(json: Json, type: string): Record<string, Json> {
  return (json.resource?.[type] ?? {}) as Record<string, Json>;
}

export function only(json: Json, type: string): Json {
  const all = Object.values(resources(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, got ${all.length}`);
  return all[0]!;
}

/** `aws_iam_policy_document` data sources, by logical id. */
export function policyDocuments(json: Json): Record<string, Statement[]> {
  const docs = (json.data?.aws_iam_policy_document ?? {}) as Record<string, { statement?: Statement[] }>;
  return Object.fromEntries(Object.entries(docs).map(([k, v]) => [k, v.statement ?? []]));
}

/** The statements behind a `${data.aws_iam_policy_document.<id>.json}` reference. */
export function statementsOf(json: Json, reference: string): Statement[] {
  const m = /\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}/.exec(reference);
  if (!m) throw new Error(`not a policy document reference: ${reference}`);
  const statements = policyDocuments(json)[m[1]!];
  if (!statements) throw new Error(`no policy document ${m[1]}`);
  return statements;
}

export function bySid(statements: Statement[], sid: string): Statement {
  const s = statements.find((x) => x.sid === sid);
  if (!s) throw new Error(`no statement ${sid} in [${statements.map((x) => x.sid).join(", ")}]`);
  return s;
}

export function conditionValues(statement: Statement, variable: string): string[] | undefined {
  return statement.condition?.find((c) => c.variable === variable)?.values;
}

/** Asserts that building throws a ShipyardValidationError whose path is `path`. */
export function expectRefused(build: () => unknown, path: string): void {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error) || error.name !== "ShipyardValidationError") {
    throw new Error(`expected a ShipyardValidationError at ${path}, got ${error === undefined ? "no error" : String(error)}`);
  }
  const actual = (error as Error & { path: string }).path;
  if (actual !== path) throw new Error(`expected the error at ${path}, got it at ${actual}: ${error.message}`);
}
