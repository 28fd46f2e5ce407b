import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { dirname, join } from "node:path";

export const ROOT = join(__dirname, "..", "..", "..");

/** JAVA_HOME for Debian's groovy: as set, or the JDK that `java` on PATH belongs to. */
export function javaHome(): string {
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  const java = execFileSync("sh", ["-c", "command -v java"], { encoding: "utf8" }).trim();
  return dirname(dirname(realpathSync(java)));
}

/** Runs a Groovy script with the given arguments; returns stdout (throws with stderr on failure). */
export function groovy(script: string, args: readonly string[]): string {
  return execFileSync("groovy", [script, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    // A short-lived JVM: the C1 compiler alone starts the parse in about half the time.
    env: { ...process.env, JAVA_HOME: javaHome(), JAVA_OPTS: "-XX:TieredStopAtLevel=1" },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
}
