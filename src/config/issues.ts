import type { z } from "zod";
import { environmentObjectSchema } from "./schema/environment";

/** Turns a zod issue into `<problem> (expected …)`, the form every Shipyard config message takes. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, unknownKey?: string): string {
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(issue.path, value);
      const suggestion = unknownKey ? closest(unknownKey, known) : undefined;
      return `unknown key${suggestion ? `; did you mean ${suggestion}?` : ""} (expected one of: ${known.join(", ")})`;
    }
    case "invalid_type":
      if (value === undefined) return `is required (expected ${article(issue.expected)})`;
      return `got ${show(value)} (expected ${article(issue.expected)})`;
    case "invalid_value":
      return `got ${show(value)} (expected ${issue.values.length === 1 ? show(issue.values[0]) : `one of: ${issue.values.map((v) => String(v)).join(", ")}`})`;
    case "invalid_union": {
      if ("note" in issue && issue.note === "No matching discriminator") {
        const kinds = discriminatorValues(issue.path);
        return `got ${show(value)} (expected one of: ${kinds.join(", ")})`;
      }
      return `got ${show(value)} (expected one of the allowed forms)`;
    }
    case "too_small":
      if (!issue.message.startsWith("Too ")) return `got ${show(value)} (expected ${issue.message})`;
      return `got ${describeSize(value, issue.origin)} (expected ${bound(issue.origin, issue.minimum, issue.inclusive, "at least", "more than")})`;
    case "too_big":
      if (!issue.message.startsWith("Too ")) return `got ${show(value)} (expected ${issue.message})`;
      return `got ${describeSize(value, issue.origin)} (expected ${bound(issue.origin, issue.maximum, issue.inclusive, "at most", "less than")})`;
    case "invalid_format":
    case "not_multiple_of":
      return `got ${show(value)} (expected ${issue.message})`;
    case "custom":
      // Rules in rules.ts write whole sentences (marked `rule`); field refinements write what is expected.
      return issue.params?.rule ? issue.message : `got ${show(value)} (expected ${issue.message})`;
    default:
      return issue.message;
  }
}

function bound(origin: string, limit: number | bigint, inclusive: boolean | undefined, atLeast: string, strict: string): string {
  const what = origin === "array" ? " items" : origin === "string" ? " characters" : "";
  return `${inclusive === false ? strict : atLeast} ${String(limit)}${what}`;
}

function describeSize(value: unknown, origin: string): string {
  if (origin === "array" && Array.isArray(value)) return `${value.length} items`;
  if (origin === "string" && typeof value === "string") return `${value.length} characters`;
  return show(value);
}

function article(type: string): string {
  if (type === "object") return "a mapping";
  if (type === "array") return "a list";
  if (type === "int") return "a whole number";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

type AnySchema = { _zod: { def: Record<string, unknown> & { type: string } } };

/**
 * The keys the schema allows at a path, for "unknown key" messages. For a discriminated union (e.g.
 * `state`, `cluster.endpoint.ci`), the keys of the form the value's discriminator picks, else of every form.
 */
export function knownKeys(path: readonly PropertyKey[], value?: unknown): string[] {
  let schemas: AnySchema[] = [environmentObjectSchema as unknown as AnySchema];
  for (const key of path) schemas = schemas.flatMap((s) => child(unwrap(s), key));
  const keys = new Set<string>();
  const objects = schemas
    .map(unwrap)
    .flatMap((s) => (s._zod.def.type === "union" ? pickForms((s._zod.def.options as AnySchema[]).map(unwrap), value) : [s]));
  for (const s of objects) {
    if (s._zod.def.type === "object") Object.keys(s._zod.def.shape as object).forEach((k) => keys.add(k));
  }
  return [...keys].filter((k) => k !== "$schema").sort();
}

/** The values a discriminated union accepts for its discriminator, e.g. state.backend: local, cloud, s3. */
function discriminatorValues(path: readonly PropertyKey[]): string[] {
  const key = path[path.length - 1];
  let schemas: AnySchema[] = [environmentObjectSchema as unknown as AnySchema];
  for (const k of path.slice(0, -1)) schemas = schemas.flatMap((s) => child(unwrap(s), k));
  const values = schemas
    .map(unwrap)
    .filter((s) => s._zod.def.type === "union")
    .flatMap((s) => (s._zod.def.options as AnySchema[]).flatMap((o) => child(unwrap(o), key!)))
    .flatMap((literal) => (literal._zod.def.values as unknown[] | undefined) ?? []);
  return values.map(String);
}

/** The union's object forms whose literal fields all match the value; every form when none does. */
function pickForms(forms: AnySchema[], value: unknown): AnySchema[] {
  if (typeof value !== "object" || value === null) return forms;
  const matching = forms.filter((form) => {
    if (form._zod.def.type !== "object") return false;
    const shape = form._zod.def.shape as Record<string, AnySchema>;
    return Object.entries(shape).every(([key, field]) => {
      const literal = unwrap(field)._zod.def;
      return literal.type !== "literal" || (literal.values as unknown[]).includes((value as Record<string, unknown>)[key]);
    });
  });
  return matching.length > 0 ? matching : forms;
}

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    const def = s._zod.def;
    if (["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type)) s = def.innerType as AnySchema;
    else if (def.type === "pipe") s = def.in as AnySchema;
    else return s;
  }
}

function child(schema: AnySchema, key: PropertyKey): AnySchema[] {
  const def = schema._zod.def;
  if (def.type === "object") {
    const next = (def.shape as Record<string, AnySchema>)[String(key)];
    return next ? [next] : [];
  }
  if (def.type === "array" && typeof key === "number") return [def.element as AnySchema];
  if (def.type === "record") return [def.valueType as AnySchema];
  if (def.type === "union") return (def.options as AnySchema[]).flatMap((o) => child(unwrap(o), key));
  return [];
}

/** The known key nearest to a typo, by edit distance, when it is close enough to be a likely fix. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = [...Array(b.length + 1).keys()];
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
