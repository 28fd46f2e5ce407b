import { describe, expect, it } from "vitest";
import {
  BOUNDARY_ENFORCED_ACTIONS,
  DeployerRole,
  type DeployerRoleProps,
  PermissionsBoundary,
  boundaryPolicyArn,
  deployerStatements,
  principalArnForCondition,
  roleArn,
} from "../../../modules/iam";
import { type Statement, bySid, conditionValues, expectRefused, only, resources, statementsOf, synth } from "../../policies/synth";

const ACCOUNT = "333333333333";
const BOUNDARY = boundaryPolicyArn(ACCOUNT, "shipyard-prod");
const jenkins = "arn:aws:iam::999999999999:role/jenkins-agent";
const base: DeployerRoleProps = {
  name: "shipyard-prod",
  accountId: ACCOUNT,
  region: "eu-west-1",
  trustedPrincipalArn: jenkins,
  externalId: "shipyard-prod",
  permissionsBoundaryArn: BOUNDARY,
  repositoryNames: ["shipyard/sample-app"],
};

describe("naming", () => {
  it("builds the deterministic ARNs other layers rely on", () => {
    expect(roleArn(ACCOUNT, "shipyard-prod", "node")).toBe("arn:aws:iam::333333333333:role/shipyard-prod-node");
    expect(roleArn(ACCOUNT, "shipyard-prod", "externalSecrets")).toBe("arn:aws:iam::333333333333:role/shipyard-prod-external-secrets");
    expect(roleArn(ACCOUNT, "shipyard-prod", "alertmanager")).toBe("arn:aws:iam::333333333333:role/shipyard-prod-alertmanager");
    expect(BOUNDARY).toBe("arn:aws:iam::333333333333:policy/shipyard-prod-boundary");
    expect(principalArnForCondition("arn:aws:sts::333333333333:assumed-role/Admin/jane")).toBe("arn:aws:iam::333333333333:role/Admin");
  });
});

describe("PermissionsBoundary", () => {
  const build = () => synth((scope) => new PermissionsBoundary(scope, "b", { name: "shipyard-prod", accountId: ACCOUNT, region: "eu-west-1" }));

  it("is the managed policy shipyard-<env>-boundary", () => {
    expect(only(build(), "aws_iam_policy").name).toBe("shipyard-prod-boundary");
  });

  it("denies roles without this boundary, boundary removal, and changes to the boundary and the deployer", () => {
    const json = build();
    const statements = statementsOf(json, only(json, "aws_iam_policy").policy);
    const noBoundary = bySid(statements, "DenyRolesWithoutBoundary");
    expect(noBoundary.effect).toBe("Deny");
    expect(noBoundary.actions).toEqual([...BOUNDARY_ENFORCED_ACTIONS]);
    expect(noBoundary.condition).toEqual([{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [BOUNDARY] }]);
    expect(bySid(statements, "DenyBoundaryRemoval").actions).toContain("iam:DeleteRolePermissionsBoundary");
    const change = bySid(statements, "DenyBoundaryChange");
    expect(change.resources).toEqual([BOUNDARY]);
    expect(change.actions).toEqual(expect.arrayContaining(["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"]));
    expect(bySid(statements, "DenyDeployerSelfChange").resources).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/shipyard-prod-deployer`,
      `arn:aws:iam::${ACCOUNT}:policy/shipyard-prod-deployer-*`,
    ]);
  });

  it("caps IAM to this environment's roles, policies and EKS OIDC providers", () => {
    const json = build();
    const iam = bySid(statementsOf(json, only(json, "aws_iam_policy").policy), "ShipyardIam");
    expect(iam.resources).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/shipyard-prod-*`,
      `arn:aws:iam::${ACCOUNT}:policy/shipyard-prod-*`,
      `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/*`,
    ]);
    const services = bySid(statementsOf(json, only(json, "aws_iam_policy").policy), "PlatformServices");
    expect(services.actions).not.toContain("iam:*");
    expect(services.actions).not.toContain("*");
  });

  it("refuses iam or organizations in the service ceiling", () => {
    expectRefused(() => synth((scope) => new PermissionsBoundary(scope, "b", { name: "shipyard-prod", accountId: ACCOUNT, region: "eu-west-1", services: ["ec2", "iam"] })), "services[1]");
    expectRefused(() => synth((scope) => new PermissionsBoundary(scope, "b", { name: "shipyard-prod", accountId: ACCOUNT, region: "eu-west-1", services: ["organizations"] })), "services[0]");
  });
});

describe("DeployerRole", () => {
  const build = (over: Partial<DeployerRoleProps> = {}) => synth((scope) => new DeployerRole(scope, "d", { ...base, ...over }));

  it("is shipyard-<env>-deployer, trusted by the Jenkins principal with the external id, and carries the boundary", () => {
    const json = build();
    const role = only(json, "aws_iam_role");
    expect(role).toMatchObject({ name: "shipyard-prod-deployer", permissions_boundary: BOUNDARY, max_session_duration: 7200 });
    const trust = statementsOf(json, role.assume_role_policy);
    expect(trust).toHaveLength(1);
    expect(trust[0]!.principals).toEqual([{ type: "AWS", identifiers: [jenkins] }]);
    expect(trust[0]!.actions).toEqual(["sts:AssumeRole"]);
    expect(conditionValues(trust[0]!, "sts:ExternalId")).toEqual(["shipyard-prod"]);
  });

  it("has no external id condition when none is configured", () => {
    const json = build({ externalId: undefined });
    expect(statementsOf(json, only(json, "aws_iam_role").assume_role_policy)[0]!.condition).toBeUndefined();
  });

  it("attaches one managed policy per part, each under IAM's 6,144-character limit", () => {
    const json = build({ stateBucket: { bucket: "tf-state", keyPrefix: "shipyard", kmsKeyArn: "arn:aws:kms:eu-west-1:333333333333:key/state" } });
    const policies = Object.values(resources(json, "aws_iam_policy"));
    expect(policies.map((p) => p.name).sort()).toEqual(["cluster", "foundation", "iam", "network"].map((p) => `shipyard-prod-deployer-${p}`));
    expect(Object.keys(resources(json, "aws_iam_role_policy_attachment"))).toHaveLength(4);
    for (const policy of policies) {
      const size = JSON.stringify(toIamJson(statementsOf(json, policy.policy))).length;
      expect(size, policy.name).toBeLessThan(6144);
    }
  });

  it("creates roles only with the boundary and attaches only known policies", () => {
    const iam = deployerStatements(base).iam!;
    const create = iam.find((s) => s.sid === "CreateRolesWithBoundary")!;
    expect(create.actions).toContain("iam:CreateRole");
    expect(create.resources).toEqual([`arn:aws:iam::${ACCOUNT}:role/shipyard-prod-*`]);
    expect(create.condition).toEqual([{ test: "StringEquals", variable: "iam:PermissionsBoundary", values: [BOUNDARY] }]);
    const attach = iam.find((s) => s.sid === "AttachKnownPolicies")!;
    expect(attach.condition!.map((c) => c.variable)).toEqual(["iam:PermissionsBoundary", "iam:PolicyARN"]);
    expect(conditionValues(attach as Statement, "iam:PolicyARN")).toContain("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy");
    expect(conditionValues(attach as Statement, "iam:PolicyARN")).not.toContain("arn:aws:iam::aws:policy/AdministratorAccess");
    const pass = iam.find((s) => s.sid === "PassRoles")!;
    expect(pass.condition![0]!.variable).toBe("iam:PassedToService");
    // Every IAM action that can create or change a role is in a statement conditioned on the boundary,
    // or is not a permission-granting action.
    const unconditioned = iam.filter((s) => !s.condition?.some((c) => c.variable === "iam:PermissionsBoundary")).flatMap((s) => s.actions ?? []);
    for (const action of BOUNDARY_ENFORCED_ACTIONS) expect(unconditioned).not.toContain(action);
  });

  it("scopes by shipyard-<env>-* names where IAM allows", () => {
    const all = Object.values(deployerStatements(base)).flat();
    const byName = Object.fromEntries(all.map((s) => [s.sid, s.resources]));
    expect(byName.Buckets).toEqual(["arn:aws:s3:::shipyard-prod-*"]);
    expect(byName.Trail).toEqual([`arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/shipyard-prod`, `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/shipyard-prod-*`]);
    expect(byName.SecretsMetadata).toEqual([`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:shipyard-prod/*`]);
    expect(byName.Topics).toEqual([`arn:aws:sns:eu-west-1:${ACCOUNT}:shipyard-prod-*`]);
    expect(byName.Repositories).toEqual([`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/shipyard/sample-app`]);
    expect(byName.Eks).toContain(`arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/shipyard-prod`);
    // Values are never read by the deployer.
    expect(all.flatMap((s) => s.actions ?? [])).not.toContain("secretsmanager:GetSecretValue");
  });

  it.each([
    ["an account root as trusted principal", { trustedPrincipalArn: "arn:aws:iam::999999999999:root" }, "trustedPrincipalArn[0]"],
    ["a one-character external id", { externalId: "x" }, "externalId"],
    ["a 30-minute session", { maxSessionDurationSeconds: 1800 }, "maxSessionDurationSeconds"],
  ] as const)("refuses %s", (_name, over, path) => {
    expectRefused(() => build(over as Partial<DeployerRoleProps>), path);
  });
});

/** The policy JSON IAM stores, without whitespace (what its size limit counts). */
function toIamJson(statements: Statement[]) {
  return {
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect ?? "Allow",
      Action: s.actions,
      Resource: s.resources,
      Condition: s.condition?.reduce<Record<string, Record<string, string[]>>>((acc, c) => {
        acc[c.test] = { ...acc[c.test], [c.variable]: c.values };
        return acc;
      }, {}),
    })),
  };
}
