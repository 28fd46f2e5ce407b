import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parseDocument, type Document } from "yaml";
import { ConfigError, parseEnvironment, type EnvironmentConfig } from "../../src/config";

export const ROOT = path.resolve(__dirname, "../..");

/** The text of a checked-in environment file. */
export function environmentYaml(name: "dev" | "staging" | "prod"): string {
  return readFileSync(path.join(ROOT, "environments", `${name}.yaml`), "utf8");
}

export type Edit = { set: (string | number)[]; value: unknown } | { delete: (string | number)[] };

/** YAML text with an edit applied to its parsed document, keeping comments and layout. */
export function editDocument(text: string, edit: (doc: Document) => void): string {
  const doc = parseDocument(text);
  edit(doc);
  return doc.toString();
}

/** Applies set/delete edits to YAML text (see editDocument). */
export function editYaml(text: string, ...edits: Edit[]): string {
  return editDocument(text, (doc) => {
    for (const edit of edits) {
      if ("set" in edit) doc.setIn(edit.set, doc.createNode(edit.value));
      else doc.deleteIn(edit.delete);
    }
  });
}

/** Parses an environment given as text, as if it were `environments/<name>.yaml`. */
export function parse(text: string, name = "prod"): EnvironmentConfig {
  return parseEnvironment(`environments/${name}.yaml`, Buffer.from(text, "utf8"));
}

/** The ConfigError an environment text raises; fails the test when it parses. */
export function problemsOf(text: string, name = "prod"): ConfigError {
  try {
    parse(text, name);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected the environment to be refused, but it was accepted");
}

/** A checked-in environment, validated. */
export function loadFixture(name: "dev" | "staging" | "prod", ...edits: Edit[]): EnvironmentConfig {
  return parse(editYaml(environmentYaml(name), ...edits), name);
}
