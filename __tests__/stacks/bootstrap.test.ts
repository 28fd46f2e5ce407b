/**
 * The bootstrap layer: what an administrator applies once before the pipeline can deploy. It holds the
 * boundary, the deployer and its CI trust, the audit trail with its own key, and the state backend's own
 * resources (Terraform Cloud workspaces, or the S3 bucket and key).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, Testing } from "cdktf";
import { ENVIRONMENTS_DIR, type EnvironmentConfig, loadEnvironments } from "../../src/config";
import { buildEnvironment, LAYERS } from "../../src/stacks";
import { synthesize } from "../../src/synth/synthesize";
import { loadFixture } from "../support/environments";
import { type Json, bySid, conditionValues, only, resources, statementsOf } from "../policies/synth";

const ENVS = loadEnvironments(ENVIRONMENTS_DIR);
let root: string;

function synthAll(envs: readonly EnvironmentConfig[]): Map<string, Json> {
  const dir = mkdtempSync(path.join(root, "out-"));
  synthesize(envs, { outdir: "out", projectRoot: dir });
  const manifest = JSON.parse(readFileSync(path.join(dir, "out", "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return new Map(
    Object.entries(manifest.stacks).map(([name, s]) => [
      name,
      JSON.parse(readFileSync(path.join(dir, "out", s.synthesizedStackPath), "utf8")) as Json,
    ]),
  );
}

let stacks: Map<string, Json>;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "shipyard-bootstrap-"));
  stacks = synthAll(ENVS);
}, 120_000);
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("the bootstrap layer comes first", () => {
  it("is the first layer, and foundation depends on it", () => {
    expect(LAYERS[0]).toBe("bootstrap");
    const built = buildEnvironment(new App({ stackTraces: false, skipValidation: true }), loadFixture("dev"), { outdir: "cdktf.out" });
    expect(built.foundation.dependencies).toContain(built.bootstrap);
  });
});

describe.each(ENVS.map((e) => [e.name, e] as const))("%s-bootstrap", (name, env) => {
  const prefix = `shipyard-${name}`;
  const json = () => stacks.get(`${name}-bootstrap`)!;

  it("creates the boundary and the deployer, which carries it and trusts exactly the CI principal with its external id", () => {
    const policies = Object.values(resources(json(), "aws_iam_policy")).map((p) => p.name);
    expect(policies).toContain(`${prefix}-boundary`);
    const deployer = Object.values(resources(json(), "aws_iam_role")).find((r) => r.name === `${prefix}-deployer`)!;
    expect(deployer.permissions_boundary).toMatch(/\$\{aws_iam_policy\.[\w-]+\.arn\}/);
    const trust = statementsOf(json(), deployer.assume_role_policy);
    expect(trust).toHaveLength(1);
    expect(trust[0]!.principals).toEqual([{ type: "AWS", identifiers: [env.access.deployer.trustedPrincipal] }]);
    expect(conditionValues(trust[0]!, "sts:ExternalId")).toEqual(
      env.access.deployer.externalId ? [env.access.deployer.externalId] : undefined,
    );
    // Its policies are computed (named after their first service), never a hand-written list.
    const deployerPolicies = policies.filter((p) => p.startsWith(`${prefix}-deployer-`));
    expect(deployerPolicies.length).toBeGreaterThan(0);
    expect(Object.values(resources(json(), "aws_iam_role_policy_attachment"))).toHaveLength(deployerPolicies.length);
  });

  it("holds the audit trail, its bucket and log group, encrypted with its own key that people administer", () => {
    expect(only(json(), "aws_cloudtrail")).toMatchObject({ name: prefix, is_multi_region_trail: true, enable_log_file_validation: true });
    expect(Object.values(resources(json(), "aws_s3_bucket")).map((b) => b.bucket)).toContain(`${prefix}-cloudtrail-${env.account}`);
    const key = Object.values(resources(json(), "aws_kms_key")).find((k) => k.tags?.["shipyard:protection"] === "audit")!;
    const admins = bySid(statementsOf(json(), key.policy), "KeyAdministrators").principals![0]!.identifiers;
    expect(admins).toEqual([...env.access.admins, env.access.breakGlass]);
    expect(admins.join()).not.toMatch(/deployer|:root/);
    expect(only(json(), "aws_cloudtrail").kms_key_id).toMatch(/aws_kms_key\./);
  });

  it("puts the boundary on the trail's delivery role too", () => {
    const role = Object.values(resources(json(), "aws_iam_role")).find((r) => r.name === `${prefix}-cloudtrail-logs`)!;
    expect(role.permissions_boundary).toMatch(/\$\{aws_iam_policy\.[\w-]+\.arn\}/);
  });
});

describe("Terraform Cloud as code (staging and prod)", () => {
  const cloudEnvs = ENVS.filter((e) => e.state.backend === "cloud");

  it.each(cloudEnvs.map((e) => [e.name, e] as const))(
    "%s: one workspace per stack, named as the stacks' cloud blocks name them, in the project",
    (name, env) => {
      const json = stacks.get(`${name}-bootstrap`)!;
      const workspaces = Object.values(resources(json, "tfe_workspace"));
      const fromCloudBlocks = LAYERS.map((layer) => stacks.get(`${name}-${layer}`)!.terraform.cloud.workspaces.name as string);
      expect(workspaces.map((w) => w.name).sort()).toEqual([...fromCloudBlocks].sort());
      const state = env.state as Extract<EnvironmentConfig["state"], { backend: "cloud" }>;
      for (const w of workspaces)
        expect(w).toMatchObject({ organization: state.organization, project_id: expect.stringMatching(/tfe_project\./) });
      expect(only(json, "tfe_project").name).toBe(state.project);
      expect(json.provider.tfe[0]).toEqual({ hostname: state.hostname, organization: state.organization });
      // No token in the output: the administrator's comes from TFE_TOKEN.
      expect(JSON.stringify(json.provider.tfe)).not.toMatch(/token/i);
    },
  );

  it.each(cloudEnvs.map((e) => [e.name] as const))("%s: Jenkins' team writes the state of every workspace but bootstrap's", (name) => {
    const json = stacks.get(`${name}-bootstrap`)!;
    expect(only(json, "tfe_team")).toMatchObject({ name: `shipyard-${name}-deployer`, visibility: "secret" });
    const idOf = new Map(
      Object.entries(resources(json, "tfe_workspace")).map(([id, w]) => [`\${tfe_workspace.${id}.id}`, w.name as string]),
    );
    const access = Object.values(resources(json, "tfe_team_access"));
    expect(access.every((a) => a.access === "write")).toBe(true);
    expect(access.map((a) => idOf.get(a.workspace_id)).sort()).toEqual(
      LAYERS.filter((l) => l !== "bootstrap")
        .map((l) => stacks.get(`${name}-${l}`)!.terraform.cloud.workspaces.name as string)
        .sort(),
    );
    // No token in state: the administrator issues it.
    expect(resources(json, "tfe_team_token")).toEqual({});
  });

  it.each(cloudEnvs.map((e) => [e.name] as const))("%s: local execution, and state shared with exactly the stacks that read it", (name) => {
    const json = stacks.get(`${name}-bootstrap`)!;
    const idOf = new Map(
      Object.entries(resources(json, "tfe_workspace")).map(([id, w]) => [`\${tfe_workspace.${id}.id}`, w.name as string]),
    );
    let shared = 0;
    for (const settings of Object.values(resources(json, "tfe_workspace_settings"))) {
      expect(settings.execution_mode).toBe("local");
      expect(settings.global_remote_state).toBe(false);
      const producer = idOf.get(settings.workspace_id)!;
      const consumers = (settings.remote_state_consumer_ids as string[]).map((id) => idOf.get(id)).sort();
      // Independently: the stacks whose JSON reads this workspace through terraform_remote_state.
      const readers = LAYERS.map((l) => `${name}-${l}`)
        .filter((stack) =>
          Object.values((stacks.get(stack)!.data?.terraform_remote_state ?? {}) as Record<string, Json>).some(
            (r) => r.config?.workspaces?.name === producer,
          ),
        )
        .map((stack) => stacks.get(stack)!.terraform.cloud.workspaces.name as string)
        .sort();
      expect(consumers, producer).toEqual(readers);
      shared += consumers.length;
    }
    expect(shared).toBeGreaterThan(0);
  });
});

describe("S3 state", () => {
  it("creates the state bucket and its key, which the backends of every stack use", () => {
    const env = loadFixture("dev", {
      set: ["state"],
      value: { backend: "s3", bucket: "acme-shipyard-dev-state", keyPrefix: "shipyard", region: "eu-west-1" },
    });
    const synthesized = synthAll([env]);
    const json = synthesized.get("dev-bootstrap")!;
    const bucket = Object.values(resources(json, "aws_s3_bucket")).find((b) => b.bucket === "acme-shipyard-dev-state");
    expect(bucket).toBeDefined();
    const alias = Object.values(resources(json, "aws_kms_alias")).find((a) => a.name === "alias/acme-shipyard-dev-state-state")!;
    expect(alias).toBeDefined();
    for (const layer of LAYERS) {
      expect(synthesized.get(`dev-${layer}`)!.terraform.backend.s3.kms_key_id).toBe(
        "arn:aws:kms:eu-west-1:111111111111:alias/acme-shipyard-dev-state-state",
      );
    }
    const policies = Object.values(resources(json, "aws_s3_bucket_policy")).map((p) => statementsOf(json, p.policy));
    const state = policies.find((s) => s.some((x) => x.sid === "DeployerState"))!;
    expect(bySid(state, "DeployerState").resources![0]).toMatch(/\/shipyard\/\*$/);
    expect(conditionValues(bySid(state, "DeployerState"), "aws:PrincipalArn")).toEqual([
      "arn:aws:iam::111111111111:role/shipyard-dev-deployer",
    ]);
  }, 120_000);

  it("records S3 data events of the backup bucket only when audit.s3DataEvents is set", () => {
    const on = loadFixture("dev", { set: ["audit", "s3DataEvents"], value: true });
    const app = new App({ stackTraces: false, skipValidation: true });
    const built = buildEnvironment(app, on, { outdir: "cdktf.out" });
    const json = JSON.parse(Testing.synth(built.bootstrap)) as Json;
    const selectors = only(json, "aws_cloudtrail").advanced_event_selector;
    expect(selectors).toHaveLength(2);
    expect(JSON.stringify(selectors[1])).toContain("arn:aws:s3:::shipyard-dev-backups-111111111111/");
    expect(only(stacks.get("dev-bootstrap")!, "aws_cloudtrail").advanced_event_selector).toHaveLength(1);
  });
});
