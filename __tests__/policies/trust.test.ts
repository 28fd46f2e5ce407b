/**
 * Role trust is limited to AWS service principals, this account's EKS OIDC providers and the CI
 * principal: the part of "the boundary is a boundary" that IAM conditions cannot express.
 */
import { App, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ENVIRONMENTS_DIR, loadEnvironments } from "../../src/config";
import { trustFindings } from "../../src/policy/trust";
import { LAYERS } from "../../src/stacks";
import { buildApp } from "../../src/synth/synthesize";

const ENVS = loadEnvironments(ENVIRONMENTS_DIR);

describe.each(ENVS.map((e) => [e.name, e] as const))("roles of %s", (name, env) => {
  const built = buildApp(new App({ stackTraces: false, skipValidation: true }), [env], "cdktf.out").get(name)!;
  const scope = { account: env.account, region: env.region, ciPrincipal: env.access.deployer.trustedPrincipal };

  it("trust only AWS services, this account's EKS OIDC providers and the CI principal", () => {
    let roles = 0;
    for (const layer of LAYERS) {
      const json = JSON.parse(Testing.synth(built[layer])) as Parameters<typeof trustFindings>[1];
      roles += Object.keys(json.resource?.aws_iam_role ?? {}).length;
      expect(trustFindings(`${name}-${layer}`, json, scope)).toEqual([]);
    }
    expect(roles).toBeGreaterThan(5);
  });
});

describe("the trust check", () => {
  const scope = { account: "333333333333", region: "eu-west-1", ciPrincipal: "arn:aws:iam::999999999999:role/jenkins-agent" };
  const stack = (principals: { type: string; identifiers: string[] }[]) => ({
    resource: { aws_iam_role: { r: { name: "shipyard-prod-x", assume_role_policy: "${data.aws_iam_policy_document.t.json}" } } },
    data: { aws_iam_policy_document: { t: { statement: [{ effect: "Allow", principals }] } } },
  });

  it.each([
    ["another account", { type: "AWS", identifiers: ["arn:aws:iam::444444444444:root"] }],
    ["everyone", { type: "AWS", identifiers: ["*"] }],
    [
      "another account's OIDC provider",
      { type: "Federated", identifiers: ["arn:aws:iam::444444444444:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X"] },
    ],
    ["a non-AWS service", { type: "Service", identifiers: ["example.com"] }],
  ])("reports a role that trusts %s", (_n, principal) => {
    expect(trustFindings("s", stack([principal]), scope)).toHaveLength(1);
  });

  it("accepts the CI principal, services and this account's providers", () => {
    const ok = [
      { type: "AWS", identifiers: [scope.ciPrincipal] },
      { type: "Service", identifiers: ["eks.amazonaws.com"] },
      { type: "Federated", identifiers: ["${aws_iam_openid_connect_provider.oidc.arn}"] },
    ];
    expect(trustFindings("s", stack(ok), scope)).toEqual([]);
  });
});
