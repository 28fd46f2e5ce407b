import { describe, expect, it } from "vitest";
import {
  BOUNDARY_ENFORCED_ACTIONS,
  DeployerRole,
  type DeployerRoleProps,
  PermissionsBoundary,
  boundaryPolicyArn,
  principalArnForCondition,
  roleArn,
} from "../../../modules/iam";
import { bySid, conditionValues, expectRefused, only, resources, statementsOf, synth } from "../../policies/synth";

const ACCOUNT = "333333333333";
const BOUNDARY = boundaryPolicyArn(ACCOUNT, "shipyard-prod");
const jenkins = "arn:aws:iam::999999999999:role/jenkins-agent";
const base: DeployerRoleProps = {
  name: "shipyard-prod",
  trustedPrincipalArn: jenkins,
  externalId: "shipyard-prod",
  permissionsBoundaryArn: BOUNDARY,
};
const AUDIT = {
  trailName: "shipyard-prod",
  bucketName: "shipyard-prod-cloudtrail-333333333333",
  logGroupName: "/aws/cloudtrail/shipyard-prod/trail",
  deliveryRoleName: "shipyard-prod-cloudtrail-logs",
  keyTag: { key: "shipyard:protection", value: "audit" },
};

describe("naming", () => {
  it("builds the deterministic ARNs other layers rely on", () => {
    expect(roleArn(ACCOUNT, "shipyard-prod", "node")).toBe("arn:aws:iam::333333333333:role/shipyard-prod-node");
    expect(roleArn(ACCOUNT, "shipyard-prod", "external-secrets")).toBe("arn:aws:iam::333333333333:role/shipyard-prod-external-secrets");
    expect(roleArn(ACCOUNT, "shipyard-prod", "alertmanager")).toBe("arn:aws:iam::333333333333:role/shipyard-prod-alertmanager");
    expect(BOUNDARY).toBe("arn:aws:iam::333333333333:policy/shipyard-prod-boundary");
    expect(principalArnForCondition("arn:aws:sts::333333333333:assumed-role/Admin/jane")).toBe("arn:aws:iam::333333333333:role/Admin");
  });
});

describe("PermissionsBoundary", () => {
  const build = () =>
    synth((scope) => new PermissionsBoundary(scope, "b", { name: "shipyard-prod", accountId: ACCOUNT, region: "eu-west-1", audit: AUDIT }));

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

  it("caps IAM to this environment's roles, policies, instance profiles and EKS OIDC providers", () => {
    const json = build();
    const statements = statementsOf(json, only(json, "aws_iam_policy").policy);
    expect(bySid(statements, "ShipyardIam").resources).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/shipyard-prod-*`,
      `arn:aws:iam::${ACCOUNT}:policy/shipyard-prod-*`,
      `arn:aws:iam::${ACCOUNT}:instance-profile/shipyard-prod-*`,
      `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/*`,
    ]);
    expect(bySid(statements, "PassRolesToPlatformServices").condition![0]!.variable).toBe("iam:PassedToService");
    for (const s of statements.filter((x) => x.effect === "Allow")) {
      expect(s.actions, s.sid).not.toContain("iam:*");
      expect(s.actions, s.sid).not.toContain("*");
    }
  });

  it("scopes every service to this environment: names where AWS names resources, this account and region otherwise", () => {
    const json = build();
    const statements = statementsOf(json, only(json, "aws_iam_policy").policy);
    expect(bySid(statements, "NamedS3").resources).toEqual(["arn:aws:s3:::shipyard-prod-*", "arn:aws:s3:::shipyard-prod-*/*"]);
    expect(bySid(statements, "NamedSecretsmanager").resources).toEqual([
      `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:shipyard-prod/*`,
    ]);
    expect(bySid(statements, "NamedKms").resources).toEqual([
      `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`,
      `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/shipyard-prod-*`,
    ]);
    expect(bySid(statements, "RegionalServices").resources).toContain(`arn:aws:*:eu-west-1:${ACCOUNT}:*`);
    const everywhere = statements.filter((x) => x.effect === "Allow" && (x.resources ?? []).includes("*"));
    // `*` only for metadata reads and unscopable actions, and only in this region (IAM reads of server certificates aside).
    for (const s of everywhere.filter((x) => x.sid !== "ReadServerCertificates"))
      expect(conditionValues(s, "aws:RequestedRegion"), s.sid).toEqual(["eu-west-1"]);
    const reads = bySid(statements, "RegionalMetadataReads").actions!;
    for (const dataRead of ["s3:GetObject", "s3:List*", "secretsmanager:GetSecretValue", "secretsmanager:Get*", "logs:Get*", "ssm:Get*"])
      expect(reads).not.toContain(dataRead);
  });

  it("keeps the audit trail, its bucket, log group, delivery role and key out of reach, and keys from deletion", () => {
    const json = build();
    const statements = statementsOf(json, only(json, "aws_iam_policy").policy);
    expect(bySid(statements, "DenyAuditTrailChanges")).toMatchObject({
      effect: "Deny",
      resources: [`arn:aws:cloudtrail:*:${ACCOUNT}:trail/shipyard-prod`],
    });
    expect(bySid(statements, "DenyAuditBucketChanges").resources).toEqual([
      "arn:aws:s3:::shipyard-prod-cloudtrail-333333333333",
      "arn:aws:s3:::shipyard-prod-cloudtrail-333333333333/*",
    ]);
    expect(bySid(statements, "DenyAuditLogGroupChanges").resources![0]).toBe(
      `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/cloudtrail/shipyard-prod/trail`,
    );
    expect(bySid(statements, "DenyAuditDeliveryRoleChanges").resources).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/shipyard-prod-cloudtrail-logs`,
    ]);
    expect(bySid(statements, "DenyAuditKeyUse")).toMatchObject({
      actions: ["kms:*"],
      condition: [{ variable: "aws:ResourceTag/shipyard:protection", values: ["audit"] }],
    });
    expect(bySid(statements, "DenyKeyDestruction").actions).toEqual([
      "kms:ScheduleKeyDeletion",
      "kms:DisableKey",
      "kms:DisableKeyRotation",
    ]);
  });

  it("refuses iam or organizations in the service ceiling", () => {
    expectRefused(
      () =>
        synth(
          (scope) =>
            new PermissionsBoundary(scope, "b", {
              name: "shipyard-prod",
              accountId: ACCOUNT,
              region: "eu-west-1",
              services: ["ec2", "iam"],
            }),
        ),
      "services[1]",
    );
    expectRefused(
      () =>
        synth(
          (scope) =>
            new PermissionsBoundary(scope, "b", {
              name: "shipyard-prod",
              accountId: ACCOUNT,
              region: "eu-west-1",
              services: ["organizations"],
            }),
        ),
      "services[0]",
    );
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

  it("attaches one managed policy per part it is given, and refuses wildcard actions", () => {
    const policies = {
      ec2: [{ sid: "Ec2", effect: "Allow" as const, actions: ["ec2:CreateVpc"], resources: ["arn:aws:ec2:eu-west-1:333333333333:*"] }],
      iam: [
        { sid: "Iam", effect: "Allow" as const, actions: ["iam:GetRole"], resources: ["arn:aws:iam::333333333333:role/shipyard-prod-*"] },
      ],
    };
    const json = build({ policies });
    expect(
      Object.values(resources(json, "aws_iam_policy"))
        .map((p) => p.name)
        .sort(),
    ).toEqual(["shipyard-prod-deployer-ec2", "shipyard-prod-deployer-iam"]);
    expect(Object.keys(resources(json, "aws_iam_role_policy_attachment"))).toHaveLength(2);
    expectRefused(() => build({ policies: { all: [{ effect: "Allow", actions: ["ec2:*"], resources: ["*"] }] } }), "policies.all");
  });

  it("holds no policy of its own until it is given some (they are computed from the layers it deploys)", () => {
    expect(resources(build(), "aws_iam_policy")).toEqual({});
  });

  it.each([
    ["an account root as trusted principal", { trustedPrincipalArn: "arn:aws:iam::999999999999:root" }, "trustedPrincipalArn[0]"],
    ["a one-character external id", { externalId: "x" }, "externalId"],
    ["a 30-minute session", { maxSessionDurationSeconds: 1800 }, "maxSessionDurationSeconds"],
  ] as const)("refuses %s", (_name, over, path) => {
    expectRefused(() => build(over as Partial<DeployerRoleProps>), path);
  });
});
