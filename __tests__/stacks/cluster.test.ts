import { readFileSync } from "node:fs";
import * as path from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseEnvironment } from "../../src/config/load";
import { TIER_DEFAULTS } from "../../src/config/defaults";
import type { EnvironmentConfig } from "../../src/config";
import { ClusterStack } from "../../src/stacks/cluster";
import { FoundationStack } from "../../src/stacks/foundation";
import { NetworkStack } from "../../src/stacks/network";
import { AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "../../modules/addons/aws-load-balancer-controller/service-account";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "../../modules/addons/cluster-autoscaler/service-account";
import { EXTERNAL_SECRETS_SERVICE_ACCOUNT } from "../../modules/addons/external-secrets/service-account";
import { ALERTMANAGER_SERVICE_ACCOUNT } from "../../modules/addons/kube-prometheus-stack/service-account";
import { VELERO_SERVICE_ACCOUNT } from "../../modules/addons/velero/service-account";
import { EBS_CSI_SERVICE_ACCOUNT, VPC_CNI_SERVICE_ACCOUNT } from "../../modules/eks-cluster/service-accounts";
import { IRSA_ADDONS, IRSA_SERVICE_ACCOUNTS } from "../../modules/iam/irsa-addons";

type Json = Record<string, any>;
const ROOT = path.resolve(__dirname, "../..");
const DEFAULT_VERSION = (TIER_DEFAULTS.prod.cluster as { version: string }).version;

/** An environment from its real file, optionally edited first. */
function loadEnv(name: string, edit: (text: string) => string = (t) => t): EnvironmentConfig {
  const text = edit(readFileSync(path.join(ROOT, "environments", `${name}.yaml`), "utf8"));
  return parseEnvironment(`environments/${name}.yaml`, Buffer.from(text));
}

function synthCluster(env: EnvironmentConfig): { stack: ClusterStack; json: Json } {
  const app = Testing.app({ stackTraces: false });
  const base = { env, outdir: "cdktf.out" };
  const foundation = new FoundationStack(app, base);
  const network = new NetworkStack(app, { ...base, foundation });
  const stack = new ClusterStack(app, { ...base, foundation, network });
  return { stack, json: JSON.parse(Testing.synth(stack)) };
}

/**
 * The text inside `${base64encode("…")}`: Terraform's string escapes (\\n, \\", \\\\) are JSON's, so the
 * literal decodes with JSON.parse; references stay as `${…}`.
 */
function decodeUserData(expression: string): string {
  const match = /^\$\{base64encode\("([\s\S]*)"\)\}$/.exec(expression);
  expect(match, expression.slice(0, 80)).not.toBeNull();
  return JSON.parse(`"${match![1]}"`) as string;
}

const values = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});
const only = (json: Json, type: string): Json => {
  const all = values(json, type);
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe.each(["dev", "prod"])("ClusterStack %s", (name) => {
  const env = loadEnv(name);
  const { stack, json } = synthCluster(env);
  const cluster = only(json, "aws_eks_cluster");
  const prefix = `shipyard-${name}`;
  const account = env.account;

  it("runs a supported Kubernetes version with standard support only", () => {
    expect(cluster.name).toBe(prefix);
    expect(cluster.version).toBe(DEFAULT_VERSION);
    expect(cluster.upgrade_policy).toEqual({ support_type: "STANDARD" });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
  });

  it("keeps the private endpoint on, the public endpoint per tier, never open to 0.0.0.0/0", () => {
    expect(cluster.vpc_config.endpoint_private_access).toBe(true);
    if (name === "prod") {
      expect(cluster.vpc_config.endpoint_public_access).toBe(false);
      expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    } else {
      expect(cluster.vpc_config.endpoint_public_access).toBe(true);
      expect(cluster.vpc_config.public_access_cidrs).toEqual(env.cluster.endpoint.publicCidrs);
      expect(cluster.vpc_config.public_access_cidrs).toContain("203.0.113.0/24");
    }
    expect(JSON.stringify(cluster.vpc_config)).not.toContain("0.0.0.0/0");
  });

  it("lets plans of the Kubernetes layers reach the API server from where they run (cluster.endpoint.ci)", () => {
    const ci = env.cluster.endpoint.ci!;
    const ingress = values(json, "aws_vpc_security_group_ingress_rule");
    const sources = ingress.map((r) => r.cidr_ipv4);
    for (const r of ingress) expect(r).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443 });
    expect(sources).toContain(env.network.cidr);
    if (ci.via === "transit-gateway" || ci.via === "peering") {
      // prod: the CI network through the transit gateway reaches the private endpoint on 443.
      expect(sources.sort()).toEqual([env.network.cidr, ...ci.cidrs].sort());
      expect(cluster.vpc_config.endpoint_public_access).toBe(false);
    } else {
      // dev: the CI network's egress addresses are among the networks the public endpoint allows.
      expect(ci.via).toBe("public");
      expect(sources).toEqual([env.network.cidr]);
      if (ci.via === "public") for (const cidr of ci.cidrs) expect(cluster.vpc_config.public_access_cidrs).toContain(cidr);
    }
    expect(cluster.vpc_config.subnet_ids).toHaveLength(env.network.azCount);
    for (const subnet of cluster.vpc_config.subnet_ids) expect(subnet).toMatch(/private/);
  });

  it("logs all five types to a pre-created, encrypted log group with the tier's retention", () => {
    expect(cluster.enabled_cluster_log_types).toHaveLength(5);
    const group = only(json, "aws_cloudwatch_log_group");
    expect(group.name).toBe(`/aws/eks/${prefix}/cluster`);
    expect(group.retention_in_days).toBe(name === "prod" ? 365 : 30);
    // A reference to the foundation's logs key (resolved to remote state when the app synthesizes).
    expect(group.kms_key_id).toMatch(/logs/);
    expect(cluster.depends_on.some((d: string) => d.startsWith("aws_cloudwatch_log_group."))).toBe(true);
  });

  it("envelope-encrypts Secrets with the cluster-secrets key", () => {
    expect(cluster.encryption_config.resources).toEqual(["secrets"]);
    expect(cluster.encryption_config.provider.key_arn).toMatch(/aws_kms_key\.cluster_secrets\.arn/);
  });

  it("authenticates through access entries only, with deletion protection per tier", () => {
    expect(cluster.access_config).toEqual({ authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.deletion_protection).toBe(name === "prod");
    if (name === "prod") expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("creates access entries for admins, the deployer, viewers and team editors", () => {
    const entries = Object.fromEntries(values(json, "aws_eks_access_entry").map((e) => [e.principal_arn, e]));
    expect(Object.keys(entries).sort()).toEqual(
      [
        `arn:aws:iam::${account}:role/Developer`,
        `arn:aws:iam::${account}:role/PaymentsDeveloper`,
        `arn:aws:iam::${account}:role/PlatformAdmin`,
        `arn:aws:iam::${account}:role/${prefix}-deployer`,
      ].sort(),
    );
    expect(entries[`arn:aws:iam::${account}:role/Developer`].kubernetes_groups).toEqual(["shipyard-viewers"]);
    expect(entries[`arn:aws:iam::${account}:role/PaymentsDeveloper`].kubernetes_groups).toEqual(["team-payments"]);
    const associations = values(json, "aws_eks_access_policy_association").map((a) => [a.policy_arn.split("/").pop(), a.access_scope]);
    expect(associations).toEqual(
      expect.arrayContaining([
        ["AmazonEKSClusterAdminPolicy", { type: "cluster" }],
        ["AmazonEKSViewPolicy", { type: "cluster" }],
      ]),
    );
    // Team editors act through their RBAC Role only: an access policy would widen it.
    expect(associations.map(([p]) => p)).not.toContain("AmazonEKSEditPolicy");
    expect(associations.filter(([p]) => p === "AmazonEKSClusterAdminPolicy")).toHaveLength(2);
  });

  it("creates the OIDC provider and seven IRSA roles, each trusting one service account, with the boundary", () => {
    expect(only(json, "aws_iam_openid_connect_provider").client_id_list).toEqual(["sts.amazonaws.com"]);
    const roles = Object.fromEntries(values(json, "aws_iam_role").map((r) => [r.name, r]));
    for (const addon of IRSA_ADDONS) {
      expect(roles[`${prefix}-${addon}`]?.permissions_boundary).toBe(`arn:aws:iam::${account}:policy/${prefix}-boundary`);
    }
    expect(Object.keys(roles).sort()).toEqual([...IRSA_ADDONS.map((a) => `${prefix}-${a}`), `${prefix}-cluster`, `${prefix}-node`].sort());
    for (const role of Object.values(roles) as Json[])
      expect(role.permissions_boundary).toBe(`arn:aws:iam::${account}:policy/${prefix}-boundary`);
    const trusts = Object.values(json.data.aws_iam_policy_document as Json).filter(
      (d: Json) => d.statement[0].sid === "ServiceAccountWebIdentity",
    );
    expect(trusts).toHaveLength(7);
    const subjects = trusts.map((t: Json) => t.statement[0].condition.find((c: Json) => c.variable.endsWith(":sub")).values[0]).sort();
    expect(subjects).toEqual(
      [
        "system:serviceaccount:external-secrets:external-secrets",
        "system:serviceaccount:kube-system:aws-load-balancer-controller",
        "system:serviceaccount:kube-system:aws-node",
        "system:serviceaccount:kube-system:cluster-autoscaler",
        "system:serviceaccount:kube-system:ebs-csi-controller-sa",
        "system:serviceaccount:monitoring:alertmanager",
        "system:serviceaccount:velero:velero-server",
      ].sort(),
    );
  });

  it("has each IRSA role trust the namespace and service account its add-on module exports (and creates)", () => {
    for (const addon of IRSA_ADDONS) {
      const trust = json.data.aws_iam_policy_document[`irsa_${addon.replace(/-/g, "_")}_trust`] as Json;
      const sub = trust.statement[0].condition.find((c: Json) => c.variable.endsWith(":sub"));
      const { namespace, serviceAccount } = IRSA_SERVICE_ACCOUNTS[addon];
      expect(sub.values).toEqual([`system:serviceaccount:${namespace}:${serviceAccount}`]);
    }
    expect(stack.irsaServiceAccounts).toBe(IRSA_SERVICE_ACCOUNTS);
    // The table holds the modules' own exports, not copies.
    expect(IRSA_SERVICE_ACCOUNTS.velero).toBe(VELERO_SERVICE_ACCOUNT);
    expect(IRSA_SERVICE_ACCOUNTS["external-secrets"]).toBe(EXTERNAL_SECRETS_SERVICE_ACCOUNT);
    expect(IRSA_SERVICE_ACCOUNTS.alertmanager).toBe(ALERTMANAGER_SERVICE_ACCOUNT);
    expect(IRSA_SERVICE_ACCOUNTS["aws-load-balancer-controller"]).toBe(AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT);
    expect(IRSA_SERVICE_ACCOUNTS["cluster-autoscaler"]).toBe(CLUSTER_AUTOSCALER_SERVICE_ACCOUNT);
    expect(IRSA_SERVICE_ACCOUNTS["vpc-cni"]).toBe(VPC_CNI_SERVICE_ACCOUNT);
    expect(IRSA_SERVICE_ACCOUNTS["ebs-csi"]).toBe(EBS_CSI_SERVICE_ACCOUNT);
  });

  it("never grants a * action anywhere, and scopes External Secrets to this environment's secrets", () => {
    const statements = Object.values(json.data.aws_iam_policy_document as Json).flatMap((d: Json) => d.statement);
    for (const s of statements) for (const a of s.actions ?? []) expect(a).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
    const eso = statements.find((s: Json) => s.sid === "ReadEnvironmentSecrets");
    expect(eso.resources).toEqual(
      env.secrets.items.map((i) => `arn:aws:secretsmanager:${env.region}:${account}:secret:${prefix}/${i.name}-*`),
    );
    const velero = statements.find((s: Json) => s.sid === "BackupBucket");
    expect(velero.resources).toEqual([`arn:aws:s3:::${prefix}-backups-${account}`]);
    const alerts = statements.find((s: Json) => s.sid === "PublishAlerts");
    expect(alerts.resources).toEqual([`arn:aws:sns:${env.region}:${account}:${prefix}-alerts`]);
  });

  it("installs the five add-ons with the configured versions; coredns after the node groups", () => {
    const addons = Object.fromEntries(values(json, "aws_eks_addon").map((a) => [a.addon_name, a]));
    expect(Object.keys(addons).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
    expect(addons["vpc-cni"].addon_version).toBe(env.cluster.addons.vpcCni);
    expect(addons["kube-proxy"].addon_version).toBe(env.cluster.addons.kubeProxy);
    expect(addons.coredns.depends_on).toHaveLength(env.cluster.nodeGroups.length * env.network.availabilityZones.length);
    expect(addons["vpc-cni"].service_account_role_arn).toMatch(/aws_iam_role\.irsa_vpc_cni\./);
    expect(addons["aws-ebs-csi-driver"].service_account_role_arn).toMatch(/aws_iam_role\.irsa_ebs_csi\./);
  });

  it("runs one managed node group per config group and zone on hardened launch templates", () => {
    const groups = values(json, "aws_eks_node_group");
    const letters = env.network.availabilityZones.map((z) => z.slice(-1));
    expect(groups.map((g) => g.node_group_name_prefix).sort()).toEqual(
      env.cluster.nodeGroups.flatMap((g) => letters.map((l) => `${g.name}-${l}-`)).sort(),
    );
    // Each zone's group lives in that zone's subnet only; together they hold the configured sizes.
    for (const g of groups) expect(g.subnet_ids).toHaveLength(1);
    for (const config of env.cluster.nodeGroups) {
      const zonal = groups.filter((g) => g.tags["shipyard:node-group"] === config.name);
      expect(zonal).toHaveLength(letters.length);
      expect(zonal.reduce((n, g) => n + g.scaling_config.min_size, 0)).toBe(config.minSize);
      expect(zonal.reduce((n, g) => n + g.scaling_config.max_size, 0)).toBeGreaterThanOrEqual(config.maxSize);
      expect(new Set(zonal.map((g) => JSON.stringify(g.labels))).size).toBe(1);
    }
    for (const lt of values(json, "aws_launch_template")) {
      expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(lt.key_name).toBeUndefined();
      expect(lt.block_device_mappings[0].ebs).toMatchObject({ volume_type: "gp3", encrypted: "true" });
      expect(lt.block_device_mappings[0].ebs.kms_key_id).toMatch(/ebs/);
    }
    const spot = groups.find((g) => g.capacity_type === "SPOT")!;
    expect(spot.instance_types.length).toBeGreaterThanOrEqual(3);
    expect(spot.taint).toEqual([{ key: "shipyard.io/spot", value: "true", effect: "NO_SCHEDULE" }]);
    const system = groups.find((g) => g.node_group_name_prefix === `system-${letters[0]}-`)!;
    expect(system.capacity_type).toBe("ON_DEMAND");
    expect(system.taint).toEqual([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
    for (const g of groups) {
      expect(g.ami_type).toBe("AL2023_x86_64_STANDARD");
      expect(g.lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
      expect(g.tags[`k8s.io/cluster-autoscaler/${prefix}`]).toBe("owned");
    }
  });

  it("boots nodes with nodeadm settings from config (user data decoded)", () => {
    const texts = values(json, "aws_launch_template").map((lt) => decodeUserData(lt.user_data));
    expect(new Set(texts).size).toBe(1);
    const text = texts[0]!;
    expect(text).toMatch(/^MIME-Version: 1\.0\nContent-Type: multipart\/mixed; boundary="\/\/SHIPYARD-NODE\/\/"\n/);
    const nodeConfig = parseYaml(text.split("Content-Type: application/node.eks.aws\n\n")[1]!.split("\n--//SHIPYARD-NODE//")[0]!);
    expect(nodeConfig.apiVersion).toBe("node.eks.aws/v1alpha1");
    expect(nodeConfig.kind).toBe("NodeConfig");
    expect(nodeConfig.spec.cluster).toEqual({
      name: prefix,
      apiServerEndpoint: expect.stringMatching(/^\$\{aws_eks_cluster\..+\.endpoint\}$/),
      certificateAuthority: expect.stringMatching(/^\$\{aws_eks_cluster\..+\.certificate_authority\[0\]\.data\}$/),
      cidr: "172.20.0.0/16",
    });
    const s = env.cluster.nodeSettings;
    expect(nodeConfig.spec.kubelet).toEqual({
      config: {
        ...(s.maxPods !== undefined ? { maxPods: s.maxPods } : {}),
        systemReserved: s.systemReserved,
        kubeReserved: s.kubeReserved,
        evictionHard: s.evictionHard,
      },
    });
    const script = text.split('Content-Type: text/x-shellscript; charset="us-ascii"\n\n')[1]!;
    for (const [key, value] of Object.entries(s.sysctls)) expect(script).toContain(`\n${key} = ${value}\n`);
    expect(script).toContain("sysctl --load=/etc/sysctl.d/90-shipyard.conf");
  });

  it("gives the node role only worker, registry pull and SSM policies", () => {
    const nodeRoleKey = Object.entries(json.resource.aws_iam_role as Json).find(([, r]) => (r as Json).name === `${prefix}-node`)![0];
    const attached = values(json, "aws_iam_role_policy_attachment")
      .filter((a) => a.role === `\${aws_iam_role.${nodeRoleKey}.name}`)
      .map((a) => a.policy_arn.split("/").pop())
      .sort();
    expect(attached).toEqual(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodePolicy", "AmazonSSMManagedInstanceCore"]);
    const cni = values(json, "aws_iam_role_policy_attachment").filter((a) => a.policy_arn.endsWith("/AmazonEKS_CNI_Policy"));
    expect(cni).toHaveLength(1);
    expect(cni[0]!.role).toMatch(/aws_iam_role\.irsa_vpc_cni\./);
  });

  it("exposes typed outputs for the later layers", () => {
    expect(IRSA_ADDONS.every((a) => typeof stack.irsaRoleArns[a] === "string")).toBe(true);
    for (const value of [
      stack.clusterName,
      stack.clusterEndpoint,
      stack.clusterCaData,
      stack.oidcProviderArn,
      stack.oidcIssuerUrl,
      stack.nodeRoleArn,
      stack.clusterSecurityGroupId,
    ]) {
      expect(typeof value).toBe("string");
    }
  });

  it("puts no absolute path, host name or secret value in the output", () => {
    const text = JSON.stringify(json);
    expect(text).not.toContain(ROOT);
    expect(text).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });
});

describe("ClusterStack version guard", () => {
  it("refuses add-ons built for another Kubernetes version than the cluster's", () => {
    const env = loadEnv("dev", (text) => text.replace(/^cluster:\n/m, 'cluster:\n  version: "1.35"\n'));
    expect(env.cluster.version).toBe("1.35");
    expect(() => synthCluster(env)).toThrow(
      /addons\.kubeProxy: v1\.36\.0-eksbuild\.\d+ is built for Kubernetes 1\.36 but the cluster runs 1\.35/,
    );
  });
});
