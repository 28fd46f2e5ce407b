import type { z } from "zod";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ConfigProblem } from "./errors";
import type { EnvironmentConfig, EnvironmentInput } from "./schema/environment";

type Report = (path: (string | number)[], message: string) => void;

/** Rules of one environment's `ci.jenkins` section (called from rules.ts). */
export function checkCi(env: EnvironmentInput, ctx: z.RefinementCtx): void {
  const report: Report = (p, message) => ctx.addIssue({ code: "custom", path: p, message, params: { rule: true } });
  const jenkins = env.ci?.jenkins;
  if (!jenkins) return;
  const secrets = env.secrets.items.map((s) => s.name);
  for (const [key, name] of Object.entries(jenkins.credentials)) {
    if (!secrets.includes(name)) {
      report(["ci", "jenkins", "credentials", key], `unknown secret ${name} (expected one of secrets.items: ${secrets.join(", ") || "none declared"})`);
    }
  }
  const names = jenkins.plugins.map((p) => p.split(":")[0]);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) report(["ci", "jenkins", "plugins", i], `plugin ${n} is listed twice (expected each plugin once, with one exact version)`);
  });
  if (jenkins.agents.deployRoleName === jenkins.agents.imageRoleName) {
    report(["ci", "jenkins", "agents", "imageRoleName"], `got ${jenkins.agents.imageRoleName} (expected a role other than agents.deployRoleName: the image pod may only push images)`);
  }
}

/** `arn:aws:iam::<account>:role/<deployRoleName>`: the deploy agent's role, which target environments trust. */
export function deployAgentRoleArn(env: EnvironmentConfig): string | undefined {
  const jenkins = env.ci?.jenkins;
  return jenkins ? `arn:aws:iam::${env.account}:role/${jenkins.agents.deployRoleName}` : undefined;
}

/**
 * Across environments: the deploy agent role of an environment that hosts Jenkins must be the
 * `access.deployer.trustedPrincipal` of at least one environment in `dir`, or the pipeline could deploy
 * nothing. Every file of `dir` is consulted (not only the selected ones): `--env tools` alone is checked too.
 */
export function checkCiTrust(dir: string, loaded: readonly EnvironmentConfig[]): ConfigProblem[] {
  const hosts = loaded.filter((e) => e.ci?.jenkins);
  if (hosts.length === 0) return [];
  const trusted = new Set<string>();
  for (const file of listYaml(dir)) {
    const doc = parseDocument(readFileSync(path.join(dir, file), "utf8"));
    const principal = doc.getIn(["access", "deployer", "trustedPrincipal"]);
    if (typeof principal === "string") trusted.add(principal);
  }
  const problems: ConfigProblem[] = [];
  for (const env of hosts) {
    const arn = deployAgentRoleArn(env)!;
    if (trusted.has(arn)) continue;
    const file = path.join(dir, `${env.name}.yaml`);
    const keyPath = ["ci", "jenkins", "agents", "deployRoleName"];
    const { line, column } = locate(file, keyPath);
    problems.push({
      file,
      line,
      column,
      path: keyPath.join("."),
      message: `${arn} is trusted by no environment (expected the access.deployer.trustedPrincipal of at least one of ${listYaml(dir).join(", ")})`,
    });
  }
  return problems;
}

function listYaml(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
}

/** Line and column of the deepest existing key on `keyPath` (1-based), or of the file's start. */
function locate(file: string, keyPath: readonly string[]): { line: number; column: number } {
  const counter = new LineCounter();
  const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter: counter });
  let node: unknown = doc.contents;
  let at = { line: 1, column: 1 };
  for (const key of keyPath) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (!pair) break;
    if (isScalar(pair.key) && pair.key.range) {
      const pos = counter.linePos(pair.key.range[0]);
      at = { line: pos.line, column: pos.col };
    }
    node = pair.value;
  }
  return at;
}
