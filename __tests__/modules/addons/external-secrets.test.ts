import { describe, expect, it } from "vitest";
import { ExternalSecrets, ExternalSecretSet, type ExternalSecretsProps } from "../../../modules/addons";
import { ShipyardValidationError } from "../../../modules/core";
import { expectSafeRelease, helmReleases, PLACEMENT, release, releaseValues, ROLE, synth } from "./helpers";

const base: ExternalSecretsProps = { roleArn: ROLE("external-secrets"), region: "eu-west-1", replicas: 1, placement: PLACEMENT };

function build(over: Partial<ExternalSecretsProps> = {}) {
  const json = synth((s) => {
    const eso = new ExternalSecrets(s, "eso", { ...base, ...over });
    new ExternalSecretSet(s, "monitoring-secrets", {
      name: "monitoring-secrets",
      namespace: "monitoring",
      secrets: [{ name: "grafana-admin", remoteKey: "shipyard-dev/grafana-admin" }],
      dependsOn: [eso.storeRelease],
    });
  });
  for (const r of helmReleases(json)) expectSafeRelease(r);
  return json;
}

describe("ExternalSecrets", () => {
  it("installs the operator with its CRDs and IRSA role", () => {
    const r = release(build(), "external-secrets");
    expect(r).toMatchObject({
      chart: "external-secrets",
      repository: "https://charts.external-secrets.io",
      version: "2.9.0",
      namespace: "external-secrets",
      create_namespace: true,
    });
    const v = releaseValues(r);
    expect(v.installCRDs).toBe(true);
    expect(v.serviceAccount).toEqual({
      create: true,
      name: "external-secrets",
      annotations: { "eks.amazonaws.com/role-arn": ROLE("external-secrets") },
    });
    expect(v.serviceMonitor).toEqual({ enabled: false });
    expect(v.webhook.tolerations).toContainEqual({ key: "CriticalAddonsOnly", operator: "Exists" });
  });

  it("creates the ClusterSecretStore after the operator, authenticated by the operator's service-account token", () => {
    const json = build();
    const store = release(json, "cluster-secret-store");
    expect(store).toMatchObject({ chart: "raw", version: "2.0.2" });
    expect(store.depends_on).toEqual([expect.stringMatching(/^helm_release\.eso_release_/)]);
    expect(releaseValues(store).resources).toEqual([
      {
        apiVersion: "external-secrets.io/v1",
        kind: "ClusterSecretStore",
        metadata: { name: "aws-secrets-manager" },
        spec: {
          provider: {
            aws: {
              service: "SecretsManager",
              region: "eu-west-1",
              auth: { jwt: { serviceAccountRef: { name: "external-secrets", namespace: "external-secrets" } } },
            },
          },
        },
      },
    ]);
  });

  it("syncs whole secrets by name only, after the store", () => {
    const json = build();
    const set = release(json, "monitoring-secrets");
    expect(set.depends_on).toEqual([expect.stringMatching(/^helm_release\.eso_store_/)]);
    const [es] = releaseValues(set).resources;
    expect(es).toMatchObject({
      kind: "ExternalSecret",
      metadata: { name: "grafana-admin", namespace: "monitoring" },
      spec: {
        secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" },
        target: { name: "grafana-admin", creationPolicy: "Owner" },
        dataFrom: [{ extract: { key: "shipyard-dev/grafana-admin" } }],
      },
    });
  });

  it("runs two replicas with leader election, spread over nodes and zones, with PDBs for controller and webhook in prod", () => {
    const v = releaseValues(release(build({ replicas: 2 }), "external-secrets"));
    expect(v).toMatchObject({ replicaCount: 2, leaderElect: true, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    expect(v.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey)).toEqual([
      "kubernetes.io/hostname",
      "topology.kubernetes.io/zone",
    ]);
    expect(v.webhook).toMatchObject({ replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
    expect(v.webhook.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual({
      "app.kubernetes.io/name": "external-secrets-webhook",
      "app.kubernetes.io/instance": "external-secrets",
    });
  });

  it("runs one replica without leader election or spread in dev", () => {
    const v = releaseValues(release(build(), "external-secrets"));
    expect(v).toMatchObject({ replicaCount: 1, leaderElect: false, topologySpreadConstraints: [] });
  });

  it.each([
    ["a missing region", { region: "" }, /region: required/],
    ["a role that is not an ARN", { roleArn: "*" }, /not an IAM role ARN/],
    [
      "a chart range",
      { chart: { repository: "https://charts.external-secrets.io", chart: "external-secrets", version: "^2" } },
      /not an exact version/,
    ],
    [
      "an unpinned raw chart",
      { rawChart: { repository: "https://bedag.github.io/helm-charts/", chart: "raw", version: "latest" } },
      /not an exact version/,
    ],
  ] as [string, Partial<ExternalSecretsProps>, RegExp][])("refuses %s", (_n, over, message) => {
    expect(() => build(over)).toThrow(ShipyardValidationError);
    expect(() => build(over)).toThrow(message);
  });

  it("refuses an empty secret set", () => {
    expect(() => synth((s) => new ExternalSecretSet(s, "x", { name: "x", namespace: "monitoring", secrets: [], dependsOn: [] }))).toThrow(
      /at least one secret/,
    );
  });
});
