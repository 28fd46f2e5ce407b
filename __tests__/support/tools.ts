import { execFileSync } from "node:child_process";

/**
 * Whether an outside tool (promtool, ansible-playbook, groovy …) is on PATH. Suites that need one call
 * `describe.skipIf(!requireTool("promtool"))`: on a laptop without the tool they skip with a visible
 * notice; under CI (`CI` set) a missing tool is a failure, because `.ci/run` installs every tool.
 */
export function requireTool(name: string): boolean {
  const found = hasTool(name);
  if (!found) {
    if (process.env.CI) {
      throw new Error(`${name} is required under CI but is not on PATH; .ci/run must install it`);
    }
    process.stderr.write(`NOTICE: ${name} not found on PATH; skipping the suites that need it\n`);
  }
  return found;
}

export function hasTool(name: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
