import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SETTINGS_HASH_ANNOTATION } from "../../modules/workload";
import { WorkloadsStack } from "../../src/stacks/workloads";
import { loadFixture } from "../support/environments";
import { requireTool } from "../support/tools";
import { ENVIRONMENTS, FIXTURES, FIXTURE_VARS, GENERATED_DIR, HOME, type Result, expectOk, runAsync } from "./support";

/**
 * What grafana_dashboards and app_config would apply, rendered offline by __tests__/ansible/fixtures/
 * render.yml: with the fixture variables, and with every generated/ansible/<env>.yml, whose application
 * objects must equal, field by field, the ConfigMap and ExternalSecret of the synthesized workloads stack
 * of the same environment (Terraform owns them; the role converges the same objects, so neither drifts).
 */

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: any;
};
type Rendered = {
  dashboards: Manifest[];
  applications: {
    app: { name: string; namespace: string; deployment: string };
    settings_hash: string;
    configmap: Manifest;
    external_secret: Manifest | null;
  }[];
};
type Json = Record<string, any>;

const hasAnsible = requireTool("ansible-playbook");

let seq = 0;
/** Runs render.yml with the given variables; resolves to what it wrote, or to the failed run. */
async function render(vars: string, ...extra: string[]): Promise<{ rendered?: Rendered; run: Result }> {
  const out = join(HOME, `render-${process.pid}-${seq++}.json`);
  try {
    const r = await runAsync("ansible-playbook", [
      "-i",
      "inventories/local.yml",
      "-e",
      `@${vars}`,
      "-e",
      `render_out=${out}`,
      ...extra,
      join(FIXTURES, "render.yml"),
    ]);
    return r.status === 0 ? { rendered: JSON.parse(readFileSync(out, "utf8")) as Rendered, run: r } : { run: r };
  } finally {
    rmSync(out, { force: true });
  }
}

function rendered(r: { rendered?: Rendered; run: Result }): Rendered {
  expectOk(r.run);
  return r.rendered!;
}

/** The workloads stack of an environment, alone (it reads nothing from the earlier layers' objects). */
function synthWorkloads(env: (typeof ENVIRONMENTS)[number]): Json {
  const app = Testing.app({ stackTraces: false });
  return JSON.parse(Testing.synth(new WorkloadsStack(app, { env: loadFixture(env), outdir: "cdktf.out" }))) as Json;
}

describe.skipIf(!hasAnsible)("what the dashboards and application roles apply (rendered offline)", () => {
  // All renderings start at once and run side by side; each test awaits its own.
  const runs = new Map<string, Promise<{ rendered?: Rendered; run: Result }>>();
  beforeAll(() => {
    runs.set("fixture", render(FIXTURE_VARS, "-e", `grafana_dashboards_repo_root=${FIXTURES}`));
    runs.set(
      "v1beta1",
      render(
        FIXTURE_VARS,
        "-e",
        `grafana_dashboards_repo_root=${FIXTURES}`,
        "-e",
        "app_config_external_secrets_api_version=external-secrets.io/v1beta1",
      ),
    );
    for (const env of ENVIRONMENTS) runs.set(env, render(join(GENERATED_DIR, `${env}.yml`)));
    for (const p of runs.values()) p.catch(() => {});
  });

  it("publishes each dashboard verbatim in a ConfigMap labelled for the sidecar, with its folder", async () => {
    const { dashboards } = rendered(await runs.get("fixture")!);
    expect(dashboards.map((d) => d.metadata.name)).toEqual(["shipyard-dashboard-service", "shipyard-dashboard-capacity"]);
    const service = dashboards[0]!;
    expect(service.metadata.namespace).toBe("monitoring");
    expect(service.metadata.labels).toMatchObject({
      grafana_dashboard: "1",
      "app.kubernetes.io/managed-by": "shipyard",
      "shipyard.io/component": "dashboards",
    });
    expect(service.metadata.annotations).toMatchObject({ grafana_folder: "Shipyard", "shipyard.io/dashboard-uid": "shipyard-dev-service" });
    // Byte for byte, Grafana's own {{pod}} untouched by Ansible's templating.
    expect(service.data).toEqual({ "service.json": readFileSync(join(FIXTURES, "generated/dashboards/dev/service.json"), "utf8") });
  }, 60_000);

  it("applies each application's generated ConfigMap and ExternalSecret exactly as given, and none without secrets", async () => {
    const { applications } = rendered(await runs.get("fixture")!);
    const vars = parse(readFileSync(FIXTURE_VARS, "utf8")) as { applications: Json[] };
    const [orders, catalog] = applications;
    expect(orders!.app).toEqual({ name: "orders", namespace: "team-checkout", deployment: "orders" });
    expect(orders!.configmap).toStrictEqual(vars.applications[0]!.configmap);
    expect(orders!.configmap.data).toStrictEqual({ FEATURE_FLAGS: "a,b", LOG_LEVEL: "info" });
    expect(orders!.external_secret).toStrictEqual(vars.applications[0]!.external_secret);
    expect(orders!.settings_hash).toBe(vars.applications[0]!.settings_hash);
    // A value that looks like a number stays a string through Ansible's templating.
    expect(catalog!.configmap.data).toStrictEqual({ CACHE_TTL_SECONDS: "300" });
    expect(catalog!.external_secret).toBeNull();
  }, 60_000);

  it("refuses manifests of another ExternalSecret API version than the one it reads", async () => {
    const r = await runs.get("v1beta1")!;
    expect(r.run.status).not.toBe(0);
    // The message is folded by the yaml callback.
    expect(r.run.out.replace(/\s+/g, " ")).toContain(
      "orders: expected settings_hash, configmap <name>-config and an optional ExternalSecret <name>-secrets of external-secrets.io/v1beta1",
    );
  }, 60_000);

  it.each(ENVIRONMENTS)(
    "%s: the role's objects are the workloads stack's ConfigMap and ExternalSecret, field by field",
    async (env) => {
      const { applications, dashboards } = rendered(await runs.get(env)!);
      expect(dashboards.length).toBeGreaterThan(0);
      const json = synthWorkloads(env);
      const resources = (type: string): Json[] => Object.values(json.resource?.[type] ?? {});
      const configMaps = resources("kubernetes_config_map_v1");
      const externalSecrets = resources("kubernetes_manifest")
        .map((r) => r.manifest)
        .filter((m) => m.kind === "ExternalSecret");
      const deployments = resources("kubernetes_deployment_v1");
      expect(applications.map((a) => a.app.name)).toEqual(loadFixture(env).applications.map((a) => a.name));
      expect(configMaps).toHaveLength(applications.length);
      expect(externalSecrets).toHaveLength(applications.filter((a) => a.external_secret !== null).length);

      for (const { app, configmap, external_secret, settings_hash } of applications) {
        const cm = configMaps.find((c) => c.metadata.name === `${app.name}-config` && c.metadata.namespace === app.namespace);
        // kubernetes_config_map_v1 carries exactly metadata and data: as a manifest, it is the role's object.
        expect(Object.keys(cm!).sort()).toEqual(["data", "metadata"]);
        expect(configmap).toStrictEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: cm!.metadata, data: cm!.data });
        const es = externalSecrets.find((m) => m.metadata.name === `${app.name}-secrets` && m.metadata.namespace === app.namespace);
        expect(external_secret).toStrictEqual(es ?? null);
        // The settings hash the role checks on the Deployment is the one Terraform sets.
        const deployment = deployments.find((d) => d.metadata.name === app.deployment && d.metadata.namespace === app.namespace);
        expect(deployment!.spec.template.metadata.annotations[SETTINGS_HASH_ANNOTATION]).toBe(settings_hash);
        expect(deployment!.lifecycle.ignore_changes.join(" ")).not.toContain(SETTINGS_HASH_ANNOTATION);
      }
    },
    60_000,
  );
});
