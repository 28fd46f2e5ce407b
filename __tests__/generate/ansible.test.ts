import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { secretName, ssmBucketName } from "../../modules/iam/naming";
import { appConfigMapManifest, appExternalSecretManifest, appSettingsHash } from "../../modules/workload";
import { ansibleVars, ansibleVarsGenerator } from "../../src/generate/ansible";
import { appSettingsProps } from "../../src/stacks/workload-props";
import { loadFixture } from "../support/environments";

describe("generated/ansible/<env>.yml", () => {
  const env = loadFixture("prod");
  const vars = ansibleVars(env) as Record<string, any>;

  it("carries the cluster, region and node settings of the environment config", () => {
    expect(vars).toMatchObject({
      shipyard_env: "prod",
      cluster_name: "shipyard-prod",
      aws_region: env.region,
      ssm_bucket: "shipyard-prod-ssm-333333333333",
    });
    expect(vars.node.sysctls).toEqual({ ...env.cluster.nodeSettings.sysctls });
    expect(vars.node.kubelet.eviction_hard).toEqual({ ...env.cluster.nodeSettings.evictionHard });
    expect(vars.node.kubelet.system_reserved).toEqual({ ...env.cluster.nodeSettings.systemReserved });
  });

  it("names the SSM bucket and the secrets with the shared naming functions", () => {
    expect(vars.ssm_bucket).toBe(ssmBucketName(env.clusterName, env.account));
    expect(secretName("shipyard-prod", "sample-app-api")).toBe("shipyard-prod/sample-app-api");
  });

  it("carries each application's ConfigMap and ExternalSecret exactly as the workloads stack builds them", () => {
    expect(vars.applications).toStrictEqual(
      env.applications.map((app) => {
        const props = appSettingsProps(env, app);
        const es = appExternalSecretManifest(props);
        return {
          name: app.name,
          namespace: app.namespace,
          settings_hash: appSettingsHash(props),
          configmap: appConfigMapManifest(props),
          ...(es ? { external_secret: es } : {}),
        };
      }),
    );
  });

  it("refers to secrets by their Secrets Manager names and keys, never values", () => {
    const app = env.applications[0]!;
    const es = vars.applications[0].external_secret;
    expect(es.spec.data).toEqual(
      app.secrets.flatMap((name) =>
        env.secrets.items
          .find((s) => s.name === name)!
          .keys.map((key) =>
            expect.objectContaining({
              secretKey: `${name}-${key}`,
              remoteRef: expect.objectContaining({ key: `shipyard-prod/${name}`, property: key }),
            }),
          ),
      ),
    );
    expect(vars.applications[0].configmap.data).toEqual({ ...app.config });
  });

  it("is one YAML file per environment that round-trips and holds no template markers", () => {
    const files = ansibleVarsGenerator.generate([env, loadFixture("dev")]);
    expect(Object.keys(files)).toEqual(["ansible/prod.yml", "ansible/dev.yml"]);
    expect(parse(files["ansible/prod.yml"]!)).toEqual(vars);
    expect(files["ansible/prod.yml"]).not.toMatch(/\{\{|\{%|\{#/);
  });
});
