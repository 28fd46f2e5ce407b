import { ENVIRONMENTS_DIR, loadEnvironments, type EnvironmentConfig } from "../config";

/** Options every command accepts. */
export interface CommonOptions {
  /** Environments to work on; empty means every file in environments/. */
  env: string[];
}

/** The project root is the working directory, as for cdktf: it holds environments/ and generated/. */
export function projectRoot(): string {
  return process.cwd();
}

export function loadSelected(options: CommonOptions): EnvironmentConfig[] {
  return loadEnvironments(ENVIRONMENTS_DIR, options.env);
}

/** Messages for people go to stderr, so stdout stays clean for machine formats. */
export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function paint(text: string, code: "green" | "red" | "yellow" | "bold", stream: NodeJS.WriteStream = process.stderr): string {
  if (!stream.isTTY || process.env.NO_COLOR !== undefined) return text;
  const codes = { green: 32, red: 31, yellow: 33, bold: 1 } as const;
  return `\u001b[${codes[code]}m${text}\u001b[0m`;
}
