import type { z } from "zod";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { environmentPrefix } from "./derive";
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
      report(
        ["ci", "jenkins", "credentials", key],
        `unknown secret ${name} (expected one of secrets.items: ${secrets.join(", ") || "none declared"})`,
      );
    }
  }
  const names = jenkins.plugins.map((p) => p.split(":")[0]);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      report(["ci", "jenkins", "plugins", i], `plugin ${n} is listed twice (expected each plugin once, with one exact version)`);
  });
  const roles = agentRoleNames(env);
  const prefix = `${environmentPrefix(env.name)}-`;
  for (const [key, name] of [
    ["deployRoleName", roles.deploy],
    ["imageRoleName", roles.image],
  ] as const) {
    if (!name.startsWith(prefix)) {
      report(
        ["ci", "jenkins", "agents", key],
        `got ${name} (expected a name starting with ${prefix}: the permissions boundary lets the deployer create only this environment's roles)`,
      );
    }
  }
  if (roles.deploy === roles.image) {
    report(
      ["ci", "jenkins", "agents", "imageRoleName"],
      `got ${roles.image} (expected a role other than agents.deployRoleName: the image pod may only push images)`,
    );
  }
}

/**
 * The agents' IAM role names: `agents.deployRoleName` and `agents.imageRoleName`, by default
 * `shipyard-<env>-jenkins-agent` and `shipyard-<env>-jenkins-agent-image`.
 */
export function agentRoleNames(env: Pick<EnvironmentInput, "name" | "ci">): { readonly deploy: string; readonly image: string } {
  const agents = env.ci?.jenkins?.agents;
  const prefix = environmentPrefix(env.name);
  return { deploy: agents?.deployRoleName ?? `${prefix}-jenkins-agent`, image: agents?.imageRoleName ?? `${prefix}-jenkins-agent-image` };
}

/** `arn:aws:iam::<account>:role/<deploy agent role>`: the deploy agent's role, which target environments trust. */
export function deployAgentRoleArn(env: EnvironmentConfig): string | undefined {
  return env.ci?.jenkins ? `arn:aws:iam::${env.account}:role/${agentRoleNames(env).deploy}` : undefined;
}

/** An environment the pipeline of a Jenkins-hosting environment deploys: one whose deployer trusts its agent role. */
export interface CiTarget {
  readonly name: string;
  readonly tier: EnvironmentConfig["tier"];
  readonly account: string;
  readonly region: string;
  /** `shipyard-<env>-deployer`, assumed by the deploy agent with `externalId`. */
  readonly deployerRoleArn: string;
  readonly externalId?: string;
  /** ECR repositories of the target's applications, which the image agent may push to. */
  readonly repositoryArns: readonly string[];
}

/**
 * The environments the Jenkins of `env` deploys, sorted by name; resolved by `loadEnvironments`. Throws for a
 * config that did not come from the loader (tests build them with the loader helpers).
 */
export function ciTargets(env: EnvironmentConfig): readonly CiTarget[] {
  if (!env.ciTargets) throw new Error(`ci targets of ${env.name} were not resolved (load environments with loadEnvironments)`);
  return env.ciTargets;
}

/**
 * Across environments: the environments whose `access.deployer.trustedPrincipal` is the deploy agent role of
 * an environment that hosts Jenkins are its pipeline's targets (locks, deploy and image roles). None at all is
 * an error: the pipeline could deploy nothing. Every file of `dir` is consulted, not only the selected ones, so
 * `--env tools` alone gives the same result. `load` reads and validates one file (the loader's own).
 */
export function resolveCiTargets(
  dir: string,
  loaded: readonly EnvironmentConfig[],
  load: (file: string) => EnvironmentConfig,
): { readonly problems: ConfigProblem[]; readonly targets: ReadonlyMap<string, readonly CiTarget[]> } {
  const resolved = new Map<string, readonly CiTarget[]>();
  const hosts = loaded.filter((e) => e.ci?.jenkins);
  if (hosts.length === 0) return { problems: [], targets: resolved };
  const files = listYaml(dir);
  const byName = new Map(loaded.map((e) => [e.name, e] as const));
  const problems: ConfigProblem[] = [];
  for (const env of hosts) {
    const arn = deployAgentRoleArn(env)!;
    const targets: CiTarget[] = [];
    for (const file of files) {
      const name = file.replace(/\.yaml$/, "");
      const principal = parseDocument(readFileSync(path.join(dir, file), "utf8")).getIn(["access", "deployer", "trustedPrincipal"]);
      if (principal !== arn || name === env.name) continue;
      const target = byName.get(name) ?? load(path.join(dir, file));
      // The image agent pushes across accounts: the target's repository policy must name it too.
      const imageRole = `arn:aws:iam::${env.account}:role/${agentRoleNames(env).image}`;
      if (target.applications.length > 0 && !target.ecr.pushPrincipals.includes(imageRole)) {
        const targetFile = path.join(dir, file);
        const keyPath = ["ecr", "pushPrincipals"];
        const at = locate(targetFile, keyPath);
        problems.push({
          file: targetFile,
          ...at,
          path: keyPath.join("."),
          message: `the pipeline of ${env.name} deploys this environment but its image agent ${imageRole} may not push here (expected ecr.pushPrincipals to contain it; the repository policy denies every other pusher)`,
        });
      }
      targets.push({
        name: target.name,
        tier: target.tier,
        account: target.account,
        region: target.region,
        deployerRoleArn: `arn:aws:iam::${target.account}:role/${target.clusterName}-deployer`,
        ...(target.access.deployer.externalId ? { externalId: target.access.deployer.externalId } : {}),
        repositoryArns: [...new Set(target.applications.map((a) => a.repository))]
          .sort()
          .map((r) => `arn:aws:ecr:${target.region}:${target.account}:repository/${r}`),
      });
    }
    if (targets.length > 0) {
      resolved.set(env.name, targets);
      continue;
    }
    const file = path.join(dir, `${env.name}.yaml`);
    const keyPath = ["ci", "jenkins", "agents", "deployRoleName"];
    const { line, column } = locate(file, keyPath);
    problems.push({
      file,
      line,
      column,
      path: keyPath.join("."),
      message: `${arn} is trusted by no other environment (expected the access.deployer.trustedPrincipal of at least one of ${files.filter((f) => f !== `${env.name}.yaml`).join(", ")})`,
    });
  }
  return { problems, targets: resolved };
}

function listYaml(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
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
