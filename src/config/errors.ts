/** One problem in one environment file, located as precisely as the file allows. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted key path such as `cluster.nodeGroups[2].instanceTypes`; empty for the whole file. */
  path: string;
  /** What is wrong, ending with what was expected. */
  message: string;
}

/** `<file>:<line>:<col>: <key.path>: <problem> (expected …)`; line 0 means the problem has no position. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}: ${p.path ? `${p.path}: ` : ""}${p.message}`;
}

/**
 * Bad input from the user: a missing or malformed file, an invalid value, an unknown environment.
 * The CLI prints `message` as it is and exits 2; it never prints a stack for this error.
 */
export class ConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }

  /** One problem; `line` 0 (the default) for problems without a position, such as a bad flag. */
  static single(file: string, message: string, path = "", line = 0, column = 0): ConfigError {
    return new ConfigError([{ file, line, column, path, message }]);
  }
}

/** Renders `["cluster","nodeGroups",2,"name"]` as `cluster.nodeGroups[2].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, "");
}
