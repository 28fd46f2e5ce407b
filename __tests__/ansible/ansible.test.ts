import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { requireTool } from "../support/tools";
import { CACHE_DIR, REPO_ROOT, ensurePristine, freshRoot, removeTree } from "./chroot";
import { contractProblems } from "./contract";

const ANSIBLE_DIR = join(REPO_ROOT, "ansible");
const FIXTURE_VARS = join(__dirname, "fixtures", "vars.yml");
const GENERATED_DIR = join(REPO_ROOT, "generated", "ansible");
const ENVIRONMENTS = ["dev", "staging", "prod"];
const PLAYBOOKS = ["site.yml", ...readdirSync(join(ANSIBLE_DIR, "playbooks")).filter((f) => f.endsWith(".yml")).sort().map((f) => `playbooks/${f}`)];

// Everything Ansible and ansible-lint write on the controller goes below the repository's .cache/.
const HOME = join(REPO_ROOT, ".cache", "ansible-home");
const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  ANSIBLE_CONFIG: join(ANSIBLE_DIR, "ansible.cfg"),
  ANSIBLE_HOME: HOME,
  ANSIBLE_LOCAL_TEMP: join(HOME, "tmp"),
  ANSIBLE_NOCOLOR: "1",
  ANSIBLE_FORCE_COLOR: "0",
  ANSIBLE_LINT_OFFLINE: "1",
  ANSIBLE_PIPELINING: "1",
  XDG_CACHE_HOME: join(HOME, "xdg-cache"),
  NO_COLOR: "1",
  PY_COLORS: "0",
};

function run(cmd: string, args: string[], cwd = ANSIBLE_DIR) {
  const r = spawnSync(cmd, args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function expectOk(r: { status: number | null; out: string }) {
  if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.out}`);
}

const hasAnsible = requireTool("ansible-playbook");
const hasLint = requireTool("ansible-lint");
const hasYamllint = requireTool("yamllint");
const hasDebootstrap = requireTool("debootstrap");
const isRoot = process.getuid?.() === 0;
if (!isRoot) {
  if (process.env.CI) throw new Error("the eks_node chroot run needs root (chroot(2)) under CI");
  process.stderr.write("NOTICE: not root; skipping the eks_node chroot run\n");
}

describe("ansible layout", () => {
  it("pins in requirements.yml exactly the collections Debian's ansible bundles", () => {
    const reqs = parse(readFileSync(join(ANSIBLE_DIR, "requirements.yml"), "utf8")) as { collections: { name: string; version: string }[] };
    const names = reqs.collections.map((c) => c.name);
    for (const needed of ["amazon.aws", "community.aws", "kubernetes.core", "community.general", "ansible.posix", "community.grafana"]) {
      expect(names).toContain(needed);
    }
    for (const c of reqs.collections) expect(c.version, c.name).toMatch(/^\d+\.\d+\.\d+$/);
    if (!hasAnsible) return;
    const r = run("ansible-galaxy", ["collection", "list", "--format", "json"]);
    expectOk(r);
    const installed: Record<string, string> = {};
    for (const dir of Object.values(JSON.parse(r.out.slice(r.out.indexOf("{"))) as Record<string, Record<string, { version: string }>>)) {
      for (const [name, info] of Object.entries(dir)) installed[name] ??= info.version;
    }
    for (const c of reqs.collections) expect(installed[c.name], `${c.name} installed`).toBe(c.version);
  });

  it.each(ENVIRONMENTS)("inventory %s: aws_ec2 filtered by the cluster's tags, node group keyed groups, SSM connection", (env) => {
    const inv = parse(readFileSync(join(ANSIBLE_DIR, "inventories", env, "aws_ec2.yml"), "utf8"));
    expect(inv.plugin).toBe("amazon.aws.aws_ec2");
    expect(inv.filters).toEqual({ "tag:eks:cluster-name": `shipyard-${env}`, "instance-state-name": "running" });
    expect(inv.keyed_groups).toContainEqual(expect.objectContaining({ key: "tags['eks:nodegroup-name']", prefix: "nodegroup" }));
    expect(inv.regions).toHaveLength(1);
    const groupVars = parse(readFileSync(join(ANSIBLE_DIR, "inventories", env, "group_vars", "aws_ec2.yml"), "utf8"));
    expect(groupVars).toMatchObject({
      ansible_connection: "community.aws.aws_ssm",
      ansible_aws_ssm_bucket_name: "{{ ssm_bucket }}",
      ansible_aws_ssm_region: "{{ aws_region }}",
    });
    const config = join(REPO_ROOT, "environments", `${env}.yaml`);
    if (existsSync(config)) {
      expect(inv.regions, `inventories/${env}/aws_ec2.yml regions vs region of environments/${env}.yaml`).toEqual([parse(readFileSync(config, "utf8")).region]);
    }
    const generated = join(GENERATED_DIR, `${env}.yml`);
    if (existsSync(generated)) {
      const vars = parse(readFileSync(generated, "utf8"));
      expect(inv.regions, `inventories/${env}/aws_ec2.yml regions vs aws_region of generated/ansible/${env}.yml`).toEqual([vars.aws_region]);
      expect(vars.cluster_name).toBe(inv.filters["tag:eks:cluster-name"]);
    }
  });

  it("the fixture follows the variables contract of ansible/README.md", () => {
    expect(contractProblems(parse(readFileSync(FIXTURE_VARS, "utf8")))).toEqual([]);
  });
});

describe.skipIf(!hasAnsible)("ansible-playbook --syntax-check", () => {
  it("passes for every playbook with the fixture variables", () => {
    const r = run("ansible-playbook", ["--syntax-check", "-i", "inventories/local.yml", "-e", `@${FIXTURE_VARS}`, ...PLAYBOOKS]);
    expectOk(r);
    for (const p of PLAYBOOKS) expect(r.out).toContain(`playbook: ${p}`);
  }, 60_000);

  const generated = existsSync(GENERATED_DIR) ? readdirSync(GENERATED_DIR).filter((f) => f.endsWith(".yml")).sort() : [];
  if (generated.length === 0) {
    process.stderr.write("NOTICE: generated/ansible/ has no <env>.yml yet; skipping the syntax check with generated variables\n");
  }
  it.skipIf(generated.length === 0).each(generated)(
    "passes for every playbook with generated/ansible/%s, which follows the contract and renders the real dashboards",
    (file) => {
      const path = join(GENERATED_DIR, file);
      const vars = parse(readFileSync(path, "utf8"));
      expect(contractProblems(vars)).toEqual([]);
      expect(`${vars.shipyard_env}.yml`).toBe(file);
      // The environment's aws_ec2 inventory needs AWS credentials; the syntax check needs no hosts.
      expectOk(run("ansible-playbook", ["--syntax-check", "-i", "inventories/local.yml", "-e", `@${path}`, ...PLAYBOOKS]));
      // What grafana_dashboards and app_config would apply with it: every dashboard file readable, with a uid and title.
      mkdirSync(HOME, { recursive: true });
      const out = join(HOME, `render-${process.pid}-${file}.json`);
      try {
        expectOk(run("ansible-playbook", ["-i", "inventories/local.yml", "-e", `@${path}`, "-e", `render_out=${out}`, join(__dirname, "fixtures", "render.yml")]));
        const rendered = JSON.parse(readFileSync(out, "utf8"));
        expect(rendered.dashboards.length).toBeGreaterThan(0);
        expect(rendered.applications.length).toBe(vars.applications.length);
      } finally {
        rmSync(out, { force: true });
      }
    },
    60_000,
  );
});

describe.skipIf(!hasAnsible)("what the dashboards and application roles apply (rendered offline)", () => {
  type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> }; data?: Record<string, string>; spec?: any };
  let rendered: { dashboards: Manifest[]; applications: { checksum: string; configmap: Manifest; external_secret: Manifest | null }[]; changed: { checksum: string }[] };
  const fixtures = join(__dirname, "fixtures");

  beforeAll(() => {
    mkdirSync(HOME, { recursive: true });
    const out = join(HOME, `render-${process.pid}.json`);
    const r = run("ansible-playbook", [
      "-i", "inventories/local.yml",
      "-e", `@${FIXTURE_VARS}`,
      "-e", `grafana_dashboards_repo_root=${fixtures}`,
      "-e", `render_out=${out}`,
      join(fixtures, "render.yml"),
    ]);
    expectOk(r);
    rendered = JSON.parse(readFileSync(out, "utf8"));
    rmSync(out);
  }, 60_000);

  it("publishes each dashboard verbatim in a ConfigMap labelled for the sidecar, with its folder", () => {
    expect(rendered.dashboards.map((d) => d.metadata.name)).toEqual(["shipyard-dashboard-service", "shipyard-dashboard-capacity"]);
    const service = rendered.dashboards[0];
    expect(service.metadata.namespace).toBe("monitoring");
    expect(service.metadata.labels).toMatchObject({ grafana_dashboard: "1", "app.kubernetes.io/managed-by": "shipyard", "shipyard.io/component": "dashboards" });
    expect(service.metadata.annotations).toMatchObject({ grafana_folder: "Shipyard", "shipyard.io/dashboard-uid": "shipyard-dev-service" });
    // Byte for byte, Grafana's own {{pod}} untouched by Ansible's templating.
    expect(service.data).toEqual({ "service.json": readFileSync(join(fixtures, "generated/dashboards/dev/service.json"), "utf8") });
  });

  it("renders a settings ConfigMap and an ExternalSecret per application", () => {
    const [orders, catalog] = rendered.applications;
    expect(orders.configmap.metadata).toMatchObject({ name: "orders-config", namespace: "team-checkout" });
    expect(orders.configmap.data).toEqual({ FEATURE_FLAGS: "a,b", LOG_LEVEL: "info" });
    expect(orders.external_secret?.apiVersion).toMatch(/^external-secrets\.io\/v1(beta1)?$/);
    expect(orders.external_secret?.spec).toMatchObject({
      secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
      target: { name: "orders-secrets", creationPolicy: "Owner" },
      data: [
        { secretKey: "orders-db-username", remoteRef: { key: "shipyard/dev/orders-db", property: "username" } },
        { secretKey: "orders-db-password", remoteRef: { key: "shipyard/dev/orders-db", property: "password" } },
      ],
      dataFrom: [{ extract: { key: "shipyard/dev/orders-api" }, rewrite: [{ regexp: { source: "(.*)", target: "orders-api-$1" } }] }],
    });
    expect(catalog.configmap.data).toEqual({ CACHE_TTL_SECONDS: "300" });
    expect(catalog.external_secret).toBeNull();
  });

  it("derives the restart checksum from the settings only", () => {
    expect(rendered.applications[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rendered.changed[0].checksum).not.toBe(rendered.applications[0].checksum);
    expect(rendered.changed[1].checksum).toBe(rendered.applications[1].checksum);
  });
});

describe.skipIf(!hasLint)("ansible-lint", () => {
  it("is clean with --profile production, offline", () => {
    const r = run("ansible-lint", ["--offline", "--profile", "production", "--nocolor"]);
    expectOk(r);
    expect(r.out).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
  }, 120_000);
});

describe.skipIf(!hasYamllint)("yamllint", () => {
  it("is clean with ansible/.yamllint", () => {
    expectOk(run("yamllint", ["--strict", "--config-file", ".yamllint", "."]));
  }, 60_000);
});

/** Totals of a PLAY RECAP, summed over its hosts. */
function recap(out: string): Record<string, number> {
  const at = out.lastIndexOf("PLAY RECAP");
  if (at < 0) throw new Error(`no PLAY RECAP in:\n${out}`);
  const totals: Record<string, number> = {};
  for (const line of out.slice(at).split("\n").slice(1)) {
    const m = /^\S.*?\s:\s+(ok=.*)$/.exec(line.trim());
    if (!m) continue;
    for (const [, k, v] of m[1].matchAll(/(\w+)=(\d+)/g)) totals[k] = (totals[k] ?? 0) + Number(v);
  }
  if (!("changed" in totals)) throw new Error(`unreadable PLAY RECAP in:\n${out}`);
  return totals;
}

/** Host files the role would write if it ever reached the host instead of the chroot. */
const HOST_SENTINELS = [
  "/etc/sysctl.d/90-shipyard.conf",
  "/etc/systemd/journald.conf.d/50-shipyard.conf",
  "/etc/audit/rules.d/50-shipyard.rules",
  "/etc/kubernetes/kubelet/config.json.d/40-shipyard.conf",
  "/etc/chrony/chrony.conf",
  "/etc/chrony.conf",
];
const hostState = () => HOST_SENTINELS.map((p) => (existsSync(p) ? `${p} ${statSync(p).mtimeMs} ${statSync(p).size}` : `${p} absent`));

describe.skipIf(!(hasAnsible && hasDebootstrap && isRoot))("eks_node in a throw-away Debian chroot", () => {
  let root = "";
  const hostBefore = hostState();

  beforeAll(() => {
    // Cold: debootstrap from the mirror (about a minute here); warm: the cached tarball is unpacked.
    ensurePristine((line) => process.stderr.write(`eks_node chroot: ${line}\n`));
    root = freshRoot();
    // A node's kubelet files, with modes the CIS items must correct (or keep, when already stricter),
    // and an unneeded service that is installed and enabled.
    const put = (path: string, content: string, mode: number, uid = 0) => {
      const p = join(root, path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      chmodSync(p, mode);
      chownSync(p, uid, uid);
    };
    put("etc/kubernetes/kubelet/config.json", '{"kind":"KubeletConfiguration"}\n', 0o666);
    put("var/lib/kubelet/kubeconfig", "apiVersion: v1\nkind: Config\n", 0o600, 1000);
    put("etc/kubernetes/pki/ca.crt", "-----BEGIN CERTIFICATE-----\n", 0o664);
    put("usr/lib/systemd/system/avahi-daemon.service", "[Unit]\nDescription=stand-in\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n", 0o644);
    symlinkSync("/usr/lib/systemd/system/avahi-daemon.service", join(root, "etc/systemd/system/multi-user.target.wants/avahi-daemon.service"));
  }, 900_000);

  afterAll(() => {
    if (root) removeTree(dirname(root));
  });

  const play = (...extra: string[]) =>
    run("ansible-playbook", [
      "-i", `${root},`,
      "-c", "community.general.chroot",
      "-e", `@${FIXTURE_VARS}`,
      "-e", "eks_node_live=false",
      "-e", "shipyard_node_hosts=all",
      // The chroot connection already runs as root, and a minbase root has no sudo.
      "-e", "shipyard_node_become=false",
      "playbooks/nodes.yml",
      ...extra,
    ]);

  it("an audit (--check --diff) of the unconfigured node reports the drift and changes nothing", () => {
    const chronyBefore = readFileSync(join(root, "etc/chrony/chrony.conf"), "utf8");
    const r = play("--check", "--diff");
    expectOk(r);
    const totals = recap(r.out);
    process.stderr.write(`eks_node chroot audit: ${JSON.stringify(totals)}\n`);
    expect(totals).toMatchObject({ failed: 0, unreachable: 0 });
    expect(totals.changed).toBeGreaterThan(0);
    expect(r.out).toContain("+server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4");
    expect(existsSync(join(root, "etc/sysctl.d/90-shipyard.conf"))).toBe(false);
    expect(readFileSync(join(root, "etc/chrony/chrony.conf"), "utf8")).toBe(chronyBefore);
    expect((statSync(join(root, "etc/kubernetes/kubelet/config.json")).mode & 0o7777).toString(8)).toBe("666");
    expect(lstatSync(join(root, "etc/systemd/system/multi-user.target.wants/avahi-daemon.service")).isSymbolicLink()).toBe(true);
  }, 300_000);

  it("first run converges the node baseline", () => {
    expect(root.startsWith(CACHE_DIR)).toBe(true);
    const r = play("--diff");
    expectOk(r);
    const totals = recap(r.out);
    process.stderr.write(`eks_node chroot run 1: ${JSON.stringify(totals)}\n`);
    expect(totals.failed).toBe(0);
    expect(totals.unreachable).toBe(0);
    expect(totals.changed).toBeGreaterThan(0);

    const file = (p: string) => readFileSync(join(root, p), "utf8");
    expect(file("etc/sysctl.d/90-shipyard.conf")).toContain("vm.max_map_count = 262144\n");
    expect(file("etc/chrony/chrony.conf")).toMatch(/^server 169\.254\.169\.123 prefer iburst minpoll 4 maxpoll 4$/m);
    expect(file("etc/systemd/journald.conf.d/50-shipyard.conf")).toMatch(/^SystemMaxUse=2G$/m);
    expect(file("etc/audit/rules.d/50-shipyard.rules")).toContain("-w /etc/kubernetes/ -p wa -k kubernetes\n");
    expect(JSON.parse(file("etc/kubernetes/kubelet/config.json.d/40-shipyard.conf"))).toMatchObject({
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      maxPods: 58,
      evictionHard: { "memory.available": "200Mi" },
    });
    const mode = (p: string) => (statSync(join(root, p)).mode & 0o7777).toString(8);
    expect(mode("etc/kubernetes/kubelet/config.json")).toBe("644");
    expect(mode("etc/kubernetes/pki/ca.crt")).toBe("644");
    expect(mode("var/lib/kubelet/kubeconfig")).toBe("600"); // stricter than 644: kept
    expect(statSync(join(root, "var/lib/kubelet/kubeconfig")).uid).toBe(0);
    expect(() => lstatSync(join(root, "etc/systemd/system/multi-user.target.wants/avahi-daemon.service"))).toThrow();
    // lstat: the link's absolute target only resolves inside the chroot.
    expect(lstatSync(join(root, "etc/systemd/system/multi-user.target.wants/chrony.service")).isSymbolicLink()).toBe(true);
  }, 300_000);

  it("second run changes nothing", () => {
    const r = play();
    expectOk(r);
    const totals = recap(r.out);
    process.stderr.write(`eks_node chroot run 2: ${JSON.stringify(totals)}\n`);
    expect(totals).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
  }, 300_000);

  it("never touched the host", () => {
    expect(hostState()).toEqual(hostBefore);
  });
});
