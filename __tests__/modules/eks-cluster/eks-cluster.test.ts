import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ShipyardValidationError } from "../../../modules/core";
import { ACCESS_POLICIES, CONTROL_PLANE_LOG_TYPES, EksCluster, type EksClusterProps } from "../../../modules/eks-cluster";

const ACCOUNT = "111111111111";
const SECRETS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-aaaa-bbbb-cccc-000000000001`;
const LOGS_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-aaaa-bbbb-cccc-000000000002`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

function props(overrides: Partial<EksClusterProps> = {}): EksClusterProps {
  return {
    name: "shipyard-test",
    version: "1.36",
    accountId: ACCOUNT,
    region: "eu-west-1",
    vpcId: "vpc-123",
    vpcCidr: "10.10.0.0/16",
    subnetIds: ["subnet-a", "subnet-b"],
    secretsKmsKeyArn: SECRETS_KEY,
    logsKmsKeyArn: LOGS_KEY,
    logRetentionDays: 90,
    permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/shipyard-test-boundary`,
    access: {
      adminArns: [role("PlatformAdmin")],
      deployerRoleArn: role("shipyard-test-deployer"),
      viewerArns: [role("Developer"), role("PaymentsDeveloper")],
      viewerGroup: "shipyard-viewers",
      namespaceEditors: [
        { team: "payments", namespaces: ["payments", "payments-batch"], principalArns: [role("PaymentsDeveloper")] },
        { team: "search", namespaces: ["search"], principalArns: [role("SearchDeveloper"), role("PaymentsDeveloper")] },
      ],
    },
    ...overrides,
  };
}

type Json = Record<string, any>;
const synth = (p: EksClusterProps = props()): Json => JSON.parse(Testing.synthScope((scope) => new EksCluster(scope, "eks", p)));
const only = (resources: Json | undefined): Json => {
  const values = Object.values(resources ?? {});
  expect(values).toHaveLength(1);
  return values[0] as Json;
};

describe("EksCluster", () => {
  const out = synth();
  const cluster = only(out.resource.aws_eks_cluster);
  const logGroupKey = Object.keys(out.resource.aws_cloudwatch_log_group)[0]!;

  it("keeps the private endpoint on and the public endpoint off by default", () => {
    expect(cluster.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: false,
      subnet_ids: ["subnet-a", "subnet-b"],
    });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
  });

  it("sends all five control-plane log types to a log group created first, with retention and the logs key", () => {
    expect(cluster.enabled_cluster_log_types).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(CONTROL_PLANE_LOG_TYPES).toHaveLength(5);
    expect(out.resource.aws_cloudwatch_log_group[logGroupKey]).toEqual({
      name: "/aws/eks/shipyard-test/cluster",
      retention_in_days: 90,
      kms_key_id: LOGS_KEY,
    });
    expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${logGroupKey}`);
  });

  it("envelope-encrypts Secrets with the cluster key", () => {
    expect(cluster.encryption_config).toEqual({ resources: ["secrets"], provider: { key_arn: SECRETS_KEY } });
  });

  it("uses API authentication without creator admin, standard support, deletion protection, no self-managed add-ons", () => {
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.upgrade_policy).toEqual({ support_type: "STANDARD" });
    expect(cluster.deletion_protection).toBe(true);
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    expect(cluster.version).toBe("1.36");
    expect(cluster.kubernetes_network_config).toEqual({ ip_family: "ipv4", service_ipv4_cidr: "172.20.0.0/16" });
  });

  it("gives the cluster role AmazonEKSClusterPolicy only, a key grant and the boundary", () => {
    const r = only(out.resource.aws_iam_role);
    expect(r.name).toBe("shipyard-test-cluster");
    expect(r.permissions_boundary).toBe(`arn:aws:iam::${ACCOUNT}:policy/shipyard-test-boundary`);
    expect(Object.values(out.resource.aws_iam_role_policy_attachment).map((a: any) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    ]);
    const docs = out.data.aws_iam_policy_document as Json;
    const trust = Object.values(docs).find((d: any) => d.statement[0].actions.includes("sts:AssumeRole")) as Json;
    expect(trust.statement[0].principals).toEqual([{ type: "Service", identifiers: ["eks.amazonaws.com"] }]);
    const grant = Object.values(docs).find((d: any) => d.statement[0].sid === "SecretsEnvelopeEncryption") as Json;
    expect(grant.statement[0]).toMatchObject({
      actions: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
      resources: [SECRETS_KEY],
    });
    expect(cluster.depends_on.filter((d: string) => d.startsWith("aws_iam_role_policy"))).toHaveLength(2);
  });

  it("lets EKS assume the cluster role and tag its session, as EKS's documented trust policy does", () => {
    const docs = out.data.aws_iam_policy_document as Json;
    const trust = Object.values(docs).find((d: any) => d.statement[0].principals?.[0]?.identifiers?.includes("eks.amazonaws.com")) as Json;
    expect(trust.statement).toHaveLength(1);
    expect([...trust.statement[0].actions].sort()).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect(trust.statement[0].effect).toBe("Allow");
  });

  it("creates the IRSA OIDC provider from the cluster issuer without a pinned thumbprint", () => {
    const oidc = only(out.resource.aws_iam_openid_connect_provider);
    expect(oidc.url).toMatch(/^\$\{aws_eks_cluster\..+\.identity\[0\]\.oidc\[0\]\.issuer\}$/);
    expect(oidc.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(oidc.thumbprint_list).toBeUndefined();
  });

  it("adds a control-plane security group reachable on 443 from the VPC only", () => {
    const sg = only(out.resource.aws_security_group);
    expect(sg).toMatchObject({ name: "shipyard-test-control-plane", vpc_id: "vpc-123" });
    expect(sg.ingress).toBeUndefined();
    const rules = Object.values(out.resource.aws_vpc_security_group_ingress_rule) as Json[];
    expect(rules.map((r) => [r.cidr_ipv4, r.from_port, r.to_port, r.ip_protocol])).toEqual([["10.10.0.0/16", 443, 443, "tcp"]]);
    expect(cluster.vpc_config.security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\..+\.id\}$/)]);
  });

  describe("access entries", () => {
    const entries = Object.values(out.resource.aws_eks_access_entry) as Json[];
    const byPrincipal = Object.fromEntries(entries.map((e) => [e.principal_arn, e]));
    const associations = (Object.values(out.resource.aws_eks_access_policy_association) as Json[]).map((a) => ({
      principal: a.principal_arn as string,
      policy: (a.policy_arn as string).split("/").pop(),
      scope: a.access_scope,
    }));
    const entryKey = (arn: string) =>
      Object.entries(out.resource.aws_eks_access_entry).find(([, e]: [string, any]) => e.principal_arn === arn)![0];
    const of = (arn: string) =>
      associations
        .filter((a) => a.principal === `\${aws_eks_access_entry.${entryKey(arn)}.principal_arn}`)
        .map(({ policy, scope }) => ({ policy, scope }));

    it("creates one standard entry per principal, with merged Kubernetes groups", () => {
      expect(Object.keys(byPrincipal).sort()).toEqual(
        [
          role("Developer"),
          role("PaymentsDeveloper"),
          role("PlatformAdmin"),
          role("SearchDeveloper"),
          role("shipyard-test-deployer"),
        ].sort(),
      );
      for (const e of entries) {
        expect(e.type).toBe("STANDARD");
        expect(e.cluster_name).toMatch(/aws_eks_cluster\..+\.name/);
      }
      expect(byPrincipal[role("PaymentsDeveloper")].kubernetes_groups).toEqual(["shipyard-viewers", "team-payments", "team-search"]);
      expect(byPrincipal[role("Developer")].kubernetes_groups).toEqual(["shipyard-viewers"]);
      expect(byPrincipal[role("PlatformAdmin")].kubernetes_groups).toBeUndefined();
    });

    it("maps admins and the deployer to cluster admin", () => {
      expect(of(role("PlatformAdmin"))).toEqual([{ policy: "AmazonEKSClusterAdminPolicy", scope: { type: "cluster" } }]);
      expect(of(role("shipyard-test-deployer"))).toEqual([{ policy: "AmazonEKSClusterAdminPolicy", scope: { type: "cluster" } }]);
    });

    it("maps viewers to the view policy (no Secrets) on the cluster", () => {
      expect(of(role("Developer"))).toEqual([{ policy: "AmazonEKSViewPolicy", scope: { type: "cluster" } }]);
    });

    it("gives team editors no EKS access policy, only their group (the team Role is all they get)", () => {
      expect(of(role("SearchDeveloper"))).toEqual([]);
      expect(of(role("PaymentsDeveloper"))).toEqual([{ policy: "AmazonEKSViewPolicy", scope: { type: "cluster" } }]);
      const policies = (Object.values(out.resource.aws_eks_access_policy_association) as Json[]).map((a) => a.policy_arn);
      expect(policies).not.toContain(ACCESS_POLICIES.edit);
    });

    it("can grant admin view instead", () => {
      const out = synth(props({ access: { ...props().access, viewerPolicy: "admin-view" } }));
      const policies = (Object.values(out.resource.aws_eks_access_policy_association) as Json[]).map((a) => a.policy_arn);
      expect(policies).toContain(ACCESS_POLICIES.adminView);
      expect(policies).not.toContain(ACCESS_POLICIES.view);
    });
  });

  it("opens a public endpoint only to the listed networks", () => {
    const out = synth(props({ endpoint: { public: true, publicCidrs: ["203.0.113.0/24"], privateCidrs: ["192.168.0.0/16"] } }));
    const cluster = only(out.resource.aws_eks_cluster);
    expect(cluster.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ["203.0.113.0/24"],
    });
    const rules = (Object.values(out.resource.aws_vpc_security_group_ingress_rule) as Json[]).map((r) => r.cidr_ipv4);
    expect(rules).toEqual(["10.10.0.0/16", "192.168.0.0/16"]);
  });

  it("turns deletion protection off only when asked", () => {
    expect(only(synth(props({ deletionProtection: false })).resource.aws_eks_cluster).deletion_protection).toBe(false);
  });
});

describe("EksCluster refusals", () => {
  const cases: [string, Partial<EksClusterProps>, RegExp][] = [
    [
      "0.0.0.0/0 on the public endpoint",
      { endpoint: { public: true, publicCidrs: ["0.0.0.0/0"] } },
      /endpoint\.publicCidrs\[0\]: 0\.0\.0\.0\/0 opens the API server to the whole internet/,
    ],
    [
      "a public endpoint without CIDRs",
      { endpoint: { public: true } },
      /endpoint\.publicCidrs: a public endpoint needs the networks allowed to reach it/,
    ],
    [
      "public CIDRs with the public endpoint off",
      { endpoint: { public: false, publicCidrs: ["203.0.113.0/24"] } },
      /is set but the public endpoint is off/,
    ],
    ["0.0.0.0/0 on the private endpoint", { endpoint: { privateCidrs: ["0.0.0.0/0"] } }, /endpoint\.privateCidrs\[0\]/],
    ["a malformed CIDR", { endpoint: { public: true, publicCidrs: ["203.0.113.0/33"] } }, /is not an IPv4 CIDR/],
    ["one subnet", { subnetIds: ["subnet-a"] }, /subnetIds: EKS needs subnets in at least 2 zones, got 1/],
    ["a service CIDR inside the VPC", { serviceCidr: "10.10.128.0/20" }, /serviceCidr: 10\.10\.128\.0\/20 overlaps the VPC CIDR/],
    ["a bad version", { version: "1.36.2" }, /version: "1\.36\.2" is not a Kubernetes minor version/],
    ["no admins", { access: { ...props().access, adminArns: [] } }, /access\.adminArns: needs at least one cluster administrator/],
    [
      "a team without namespaces",
      { access: { ...props().access, namespaceEditors: [{ team: "x", namespaces: [], principalArns: [role("X")] }] } },
      /namespaceEditors\[0\]\.namespaces/,
    ],
  ];
  it.each(cases)("refuses %s", (_name, change, message) => {
    const build = () => synth(props(change));
    expect(build).toThrow(ShipyardValidationError);
    expect(build).toThrow(message);
  });
});
