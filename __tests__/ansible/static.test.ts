import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { requireTool } from "../support/tools";
import { REPO_ROOT } from "./chroot";
import { contractProblems } from "./contract";
import { ANSIBLE_DIR, ENVIRONMENTS, FIXTURE_VARS, GENERATED_DIR, type Result, expectOk, run, runAsync } from "./support";

/**
 * The checks that need no target: layout, requirements pins, inventories, the variables contract,
 * `--syntax-check` of every playbook, ansible-lint and yamllint. The offline renderings are in
 * render.test.ts and the eks_node chroot runs in chroot.test.ts, so the three files can run in parallel
 * workers. Within this file ansible-lint (the slowest check) and the syntax checks start together in
 * beforeAll and run side by side while the quick checks run.
 */

const PLAYBOOKS = [
  "site.yml",
  ...readdirSync(join(ANSIBLE_DIR, "playbooks"))
    .filter((f) => f.endsWith(".yml"))
    .sort()
    .map((f) => `playbooks/${f}`),
];
const GENERATED = existsSync(GENERATED_DIR)
  ? readdirSync(GENERATED_DIR)
      .filter((f) => f.endsWith(".yml"))
      .sort()
  : [];

const hasAnsible = requireTool("ansible-playbook");
const hasLint = requireTool("ansible-lint");
const hasYamllint = requireTool("yamllint");

const syntaxCheck = (vars: string) =>
  runAsync("ansible-playbook", ["--syntax-check", "-i", "inventories/local.yml", "-e", `@${vars}`, ...PLAYBOOKS]);
let lint: Promise<Result> | undefined;
const syntax = new Map<string, Promise<Result>>();

beforeAll(() => {
  if (hasLint) lint = runAsync("ansible-lint", ["--offline", "--profile", "production", "--nocolor"]);
  if (hasAnsible) {
    syntax.set("fixture", syntaxCheck(FIXTURE_VARS));
    // The environment's aws_ec2 inventory needs AWS credentials; the syntax check needs no hosts.
    for (const file of GENERATED) syntax.set(file, syntaxCheck(join(GENERATED_DIR, file)));
  }
  // Nothing may be left running when a check fails early: every promise is awaited by its test.
  for (const p of [lint, ...syntax.values()]) p?.catch(() => {});
});

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
    expect(inv.keyed_groups).toContainEqual(expect.objectContaining({ key: "tags['shipyard:node-group']", prefix: "nodegroup" }));
    expect(inv.regions).toHaveLength(1);
    const groupVars = parse(readFileSync(join(ANSIBLE_DIR, "inventories", env, "group_vars", "aws_ec2.yml"), "utf8"));
    expect(groupVars).toMatchObject({
      ansible_connection: "community.aws.aws_ssm",
      ansible_aws_ssm_bucket_name: "{{ ssm_bucket }}",
      ansible_aws_ssm_region: "{{ aws_region }}",
    });
    const config = join(REPO_ROOT, "environments", `${env}.yaml`);
    if (existsSync(config)) {
      expect(inv.regions, `inventories/${env}/aws_ec2.yml regions vs region of environments/${env}.yaml`).toEqual([
        parse(readFileSync(config, "utf8")).region,
      ]);
    }
    const generated = join(GENERATED_DIR, `${env}.yml`);
    if (existsSync(generated)) {
      const vars = parse(readFileSync(generated, "utf8"));
      expect(inv.regions, `inventories/${env}/aws_ec2.yml regions vs aws_region of generated/ansible/${env}.yml`).toEqual([
        vars.aws_region,
      ]);
      expect(vars.cluster_name).toBe(inv.filters["tag:eks:cluster-name"]);
    }
  });

  it("the fixture follows the variables contract of ansible/README.md", () => {
    expect(contractProblems(parse(readFileSync(FIXTURE_VARS, "utf8")))).toEqual([]);
  });

  if (GENERATED.length === 0)
    process.stderr.write("NOTICE: generated/ansible/ has no <env>.yml yet; skipping the checks of generated variables\n");
  it.skipIf(GENERATED.length === 0).each(GENERATED)(
    "generated/ansible/%s follows the contract and is named after its environment",
    (file) => {
      const vars = parse(readFileSync(join(GENERATED_DIR, file), "utf8"));
      expect(contractProblems(vars)).toEqual([]);
      expect(`${vars.shipyard_env}.yml`).toBe(file);
    },
  );

  it("the contract refuses settings objects the role could not apply or prune", () => {
    const vars = parse(readFileSync(FIXTURE_VARS, "utf8"));
    const app = vars.applications[0];
    app.configmap.metadata.labels["shipyard.io/component"] = "workload";
    app.external_secret.metadata.name = "orders-secret";
    delete app.settings_hash;
    app.config = { LOG_LEVEL: "info" };
    expect(contractProblems(vars)).toEqual([
      "applications[0].settings_hash: expected a non-empty string",
      "applications[0].configmap.metadata.labels.shipyard.io/component: expected app-config (the objects Terraform applies carry it)",
      "applications[0].external_secret.metadata.name: expected orders-secrets",
      "applications[0].config: no longer read (the role audits configmap and external_secret)",
    ]);
  });
});

describe.skipIf(!hasAnsible)("ansible-playbook --syntax-check", () => {
  it("passes for every playbook with the fixture variables", async () => {
    const r = await syntax.get("fixture")!;
    expectOk(r);
    for (const p of PLAYBOOKS) expect(r.out).toContain(`playbook: ${p}`);
  }, 60_000);

  it.skipIf(GENERATED.length === 0).each(GENERATED)(
    "passes for every playbook with generated/ansible/%s",
    async (file) => {
      expectOk(await syntax.get(file)!);
    },
    60_000,
  );
});

describe.skipIf(!hasLint)("ansible-lint", () => {
  it("is clean with --profile production, offline", async () => {
    const r = await lint!;
    expectOk(r);
    expect(r.out).toMatch(/Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
  }, 120_000);
});

describe.skipIf(!hasYamllint)("yamllint", () => {
  it("is clean with ansible/.yamllint", () => {
    expectOk(run("yamllint", ["--strict", "--config-file", ".yamllint", "."]));
  }, 60_000);
});
