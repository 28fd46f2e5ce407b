import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError, formatPath, type ConfigProblem } from "./errors";
import { environmentSchema, TIERS, type EnvironmentConfig, type Tier } from "./schema/environment";
import { mergeDefaults, TIER_DEFAULTS } from "./defaults";
import { describeIssue } from "./issues";
import { crossEnvironmentIssues } from "./cross-environment";
import { resolveCiTargets, type CiTarget } from "./ci-rules";

/** The folder that holds `<env>.yaml` files, relative to the project root. */
export const ENVIRONMENTS_DIR = "environments";

/** Environment names found in a folder, sorted, from files named `<env>.yaml`. */
export function listEnvironments(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    throw ConfigError.single(dir, "folder not found (expected a folder of <env>.yaml files)");
  }
  return entries
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

/**
 * Loads the named environments from `dir`. Every file is checked before any is returned, and all
 * problems of all files are reported together in one ConfigError.
 */
export function loadEnvironments(dir: string, names?: readonly string[]): EnvironmentConfig[] {
  const available = listEnvironments(dir);
  const selected = names && names.length > 0 ? [...new Set(names)] : available;
  if (selected.length === 0) throw ConfigError.single(dir, "no environment files found (expected <env>.yaml files)");
  const unknown = selected.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw ConfigError.single(
      "shipyard",
      `unknown environment ${unknown.join(", ")} (expected one of: ${available.join(", ") || "none"}, from ${dir}/)`,
      "--env",
    );
  }
  const problems: ConfigProblem[] = [];
  const loaded: LoadedEnvironment[] = [];
  for (const name of selected) {
    try {
      loaded.push(loadLocated(path.join(dir, `${name}.yaml`)));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  let targets: ReadonlyMap<string, readonly CiTarget[]> = new Map();
  if (problems.length === 0) {
    const ci = resolveCiTargets(
      dir,
      loaded.map((l) => l.config),
      loadEnvironmentFile,
    );
    problems.push(...ci.problems);
    targets = ci.targets;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  // The checks across environments see every file in the folder, also when --env selects some: a new
  // environment must not take prod's CIDR even when only the new one is validated. A file that is not
  // selected and does not load is left out here; it is reported when it is selected.
  const others: LoadedEnvironment[] = [];
  for (const name of available.filter((n) => !selected.includes(n))) {
    try {
      others.push(loadLocated(path.join(dir, `${name}.yaml`)));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
    }
  }
  const crossProblems = crossEnvironmentProblems([...loaded, ...others], available).filter(
    (p) => selected.includes(p.env) || (p.otherEnv !== undefined && selected.includes(p.otherEnv)),
  );
  if (crossProblems.length > 0) throw new ConfigError(crossProblems.map(({ env: _env, otherEnv: _other, ...problem }) => problem));
  return loaded.map((l) => (targets.has(l.config.name) ? deepFreeze({ ...l.config, ciTargets: targets.get(l.config.name) }) : l.config));
}

interface LoadedEnvironment {
  readonly file: string;
  readonly config: EnvironmentConfig;
  readonly locate: (keyPath: readonly PropertyKey[]) => { line: number; column: number };
}

/** crossEnvironmentIssues located in their files, each citing the other file's line. */
function crossEnvironmentProblems(
  envs: readonly LoadedEnvironment[],
  known: readonly string[],
): (ConfigProblem & { env: string; otherEnv?: string })[] {
  const byName = new Map(envs.map((e) => [e.config.name, e]));
  const cite = (env: string, keyPath: readonly (string | number)[]) => {
    const loaded = byName.get(env)!;
    const { line, column } = loaded.locate(keyPath);
    return `${loaded.file}:${line}:${column}: ${formatPath(keyPath)}`;
  };
  return crossEnvironmentIssues(
    envs.map((e) => e.config),
    { cite, known },
  )
    .map((issue) => {
      const loaded = byName.get(issue.env)!;
      return {
        env: issue.env,
        otherEnv: issue.other?.env,
        file: loaded.file,
        ...loaded.locate(issue.path),
        path: formatPath(issue.path),
        message: issue.message,
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function loadLocated(file: string): LoadedEnvironment {
  return { file, ...parseLocated(file, readEnvironmentBytes(file)) };
}

/** Reads, parses and validates one environment file. Throws ConfigError with every problem found. */
export function loadEnvironmentFile(file: string): EnvironmentConfig {
  return parseEnvironment(file, readEnvironmentBytes(file));
}

function readEnvironmentBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw ConfigError.single(file, code === "ENOENT" ? "file not found" : `cannot read the file (${code ?? "unknown error"})`);
  }
}

/** Validates an environment given as bytes; `file` names it in messages and gives the expected name. */
export function parseEnvironment(file: string, bytes: Uint8Array): EnvironmentConfig {
  return parseLocated(file, bytes).config;
}

/** parseEnvironment, plus where each key is in the file (for checks across files). */
function parseLocated(file: string, bytes: Uint8Array): Omit<LoadedEnvironment, "file"> {
  const text = decodeUtf8(file, bytes);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const syntax = [...doc.errors, ...doc.warnings];
  if (syntax.length > 0) {
    throw new ConfigError(
      syntax.map((e) => {
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: "",
          message: `invalid YAML: ${firstLine(e.message)} (expected a single YAML 1.2 document)`,
        };
      }),
    );
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw ConfigError.single(file, "the file is empty (expected a mapping with name, tier, account, region, network, cluster …)", "", 1, 1);
  }
  if (!isMap(doc.contents)) {
    const pos = lines.linePos(doc.contents.range?.[0] ?? 0);
    throw ConfigError.single(
      file,
      `the top level is a ${isSeq(doc.contents) ? "list" : "single value"} (expected a mapping of keys to values)`,
      "",
      pos.line,
      pos.col,
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw ConfigError.single(file, `invalid YAML: ${firstLine((error as Error).message)} (expected a single YAML 1.2 document)`, "", 1, 1);
  }
  const tier = (raw as Record<string, unknown>).tier;
  const withDefaults = TIERS.includes(tier as Tier) ? mergeDefaults(TIER_DEFAULTS[tier as Tier], raw) : raw;

  const problems: ConfigProblem[] = [];
  const locate = (p: readonly PropertyKey[], key?: string) => position(doc, lines, p, key);
  const expectedName = path.basename(file).replace(/\.ya?ml$/, "");
  const name = (raw as Record<string, unknown>).name;
  if (typeof name === "string" && name !== expectedName) {
    problems.push({
      file,
      ...locate(["name"]),
      path: "name",
      message: `"${name}" does not match the file name (expected "${expectedName}")`,
    });
  }
  const result = environmentSchema.safeParse(withDefaults);
  if (!result.success) {
    const tierKnown = TIERS.includes(tier as Tier);
    for (const issue of result.error.issues) {
      // A wrong tier means no defaults were applied: report the tier, not every key it would have filled.
      if (!tierKnown && issue.path.length > 0 && valueAt(withDefaults, issue.path) === undefined) continue;
      problems.push(...toProblems(file, issue, withDefaults, locate));
    }
  }
  if (problems.length > 0) {
    problems.sort((a, b) => a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
    throw new ConfigError(problems);
  }
  return { config: deepFreeze(result.data!), locate: (keyPath) => locate(keyPath) };
}

function valueAt(value: unknown, keys: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function toProblems(
  file: string,
  issue: z.core.$ZodIssue,
  input: unknown,
  locate: (p: readonly PropertyKey[], key?: string) => { line: number; column: number },
): ConfigProblem[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      file,
      ...locate(issue.path, key),
      path: formatPath([...issue.path, key]),
      message: describeIssue(issue, input, key),
    }));
  }
  return [{ file, ...locate(issue.path), path: formatPath(issue.path), message: describeIssue(issue, input) }];
}

function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    // Find the first byte that breaks UTF-8 to point at it.
    let good = 0;
    for (let end = 1; end <= bytes.length; end++) {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end));
        good = end;
      } catch {
        if (end - good > 4) break;
      }
    }
    const before = Buffer.from(bytes.subarray(0, good)).toString("utf8");
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    throw ConfigError.single(
      file,
      `the file is not valid UTF-8 at byte 0x${(bytes[good] ?? 0).toString(16)}, offset ${good} (expected UTF-8 text)`,
      "",
      line,
      column,
    );
  }
}

/** The line and column of a key path: the key itself when named, else the value, else its nearest ancestor. */
function position(doc: Document, lines: LineCounter, keyPath: readonly PropertyKey[], key?: string): { line: number; column: number } {
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = doc.getIn(keyPath.slice(0, depth) as unknown[], true) as Node | undefined;
    if (!node || typeof node !== "object") continue;
    if (key !== undefined && depth === keyPath.length && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return at(keyNode.range[0]);
    }
    if (depth < keyPath.length && isMap(node)) {
      // Point at the key whose value is missing or came from defaults, when the key is in the file.
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === keyPath[depth]);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return at(keyNode.range[0]);
    }
    if (node.range) return at(node.range[0]);
  }
  return { line: 1, column: 1 };
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
