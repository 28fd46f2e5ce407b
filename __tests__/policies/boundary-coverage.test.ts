/**
 * The permissions boundary leaves every grant of the environment's roles usable (cluster, node, add-on
 * and delivery roles): each allowed action on each resource of their inline policies is evaluated
 * against the boundary by @cloud-copilot/iam-simulate. A grant the boundary voids is a role that fails
 * at run time, not at deploy.
 */
import { App, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS_DIR, loadEnvironments } from "../../src/config";
import { boundaryCoverage, simulationScope, type RoleGrant } from "../../src/policy";
import { LAYERS } from "../../src/stacks";
import { buildApp } from "../../src/synth/synthesize";
import type { PolicyStatement } from "../../modules/iam";
import { type Json, statementsOf } from "./synth";

const ENVS = loadEnvironments(ENVIRONMENTS_DIR);

/** Inline-policy statements of every role in a synthesized stack, by the role's ARN. */
function grantsIn(stack: string, json: Json, account: string): RoleGrant[] {
  const roles = (json.resource?.aws_iam_role ?? {}) as Record<string, Json>;
  const grants: RoleGrant[] = [];
  for (const [id, policy] of Object.entries((json.resource?.aws_iam_role_policy ?? {}) as Record<string, Json>)) {
    const roleId = /aws_iam_role\.([\w-]+)\./.exec(String(policy.role))?.[1];
    const role = roleId ? roles[roleId] : undefined;
    if (!role || typeof policy.policy !== "string" || !policy.policy.includes("aws_iam_policy_document")) continue;
    statementsOf(json, policy.policy).forEach((s, i) =>
      grants.push({
        roleArn: `arn:aws:iam::${account}:role/${role.name}`,
        where: `${stack} ${role.name} ${id}[${i}]`,
        statement: { ...s, effect: (s.effect ?? "Allow") as "Allow" } as PolicyStatement,
      }),
    );
  }
  return grants;
}

describe.each(ENVS.map((e) => [e.name, e] as const))("the boundary of %s", (name, env) => {
  it("voids no grant of the environment's roles (simulated)", async () => {
    const built = buildApp(new App({ stackTraces: false, skipValidation: true }), [env], "cdktf.out").get(name)!;
    const grants = LAYERS.flatMap((layer) => grantsIn(`${name}-${layer}`, JSON.parse(Testing.synth(built[layer])) as Json, env.account));
    expect(grants.length).toBeGreaterThan(10);
    const scope = simulationScope(env);
    const findings = await boundaryCoverage(scope, built.bootstrap.boundary.statements, grants);
    expect(findings.map((f) => `${f.where}: ${f.action} on ${f.resource}: ${f.result}`)).toEqual([]);
  }, 300_000);
});

describe("the coverage check", () => {
  const scope = {
    environment: "prod",
    prefix: "shipyard-prod",
    accountId: "333333333333",
    region: "eu-west-1",
    repositoryNames: [],
    boundaryArn: "arn:aws:iam::333333333333:policy/shipyard-prod-boundary",
  };
  const grant = (actions: string[], resources: string[]): RoleGrant => ({
    roleArn: "arn:aws:iam::333333333333:role/shipyard-prod-velero",
    where: "test",
    statement: { effect: "Allow", actions, resources },
  });
  const boundary: PolicyStatement[] = [
    { sid: "S3", effect: "Allow", actions: ["s3:*"], resources: ["arn:aws:s3:::shipyard-prod-*", "arn:aws:s3:::shipyard-prod-*/*"] },
  ];

  it("reports a grant outside the boundary's resources or services, and passes one inside", async () => {
    expect(
      await boundaryCoverage(scope, boundary, [grant(["s3:GetObject"], ["arn:aws:s3:::shipyard-prod-backups-333333333333/*"])]),
    ).toEqual([]);
    expect(
      (await boundaryCoverage(scope, boundary, [grant(["s3:GetObject"], ["arn:aws:s3:::other-bucket/*"])])).map((f) => f.result),
    ).toEqual(["ImplicitlyDenied"]);
    expect(
      (await boundaryCoverage(scope, boundary, [grant(["sns:Publish"], ["arn:aws:sns:eu-west-1:333333333333:shipyard-prod-alerts"])])).map(
        (f) => f.action,
      ),
    ).toEqual(["sns:Publish"]);
  });
});
