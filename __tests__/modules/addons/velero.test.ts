import { describe, expect, it } from "vitest";
import { Velero, type VeleroProps } from "../../../modules/addons";
import { ShipyardValidationError } from "../../../modules/core";
import { expectSafeRelease, PLACEMENT, release, releaseValues, ROLE, synth } from "./helpers";

const base: VeleroProps = {
  bucket: "shipyard-dev-backups-111111111111",
  kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:alias/shipyard-dev-backups",
  region: "eu-west-1",
  roleArn: ROLE("velero"),
  kubernetesVersion: "1.36",
  schedules: [{ name: "daily", cron: "0 3 * * *", ttlHours: 72 }],
  placement: PLACEMENT,
};

function build(over: Partial<VeleroProps> = {}) {
  const r = release(
    synth((s) => new Velero(s, "velero", { ...base, ...over })),
    "velero",
  );
  expectSafeRelease(r);
  return { r, v: releaseValues(r) };
}

describe("Velero", () => {
  it("pins the chart and the AWS plugin init container", () => {
    const { r, v } = build();
    expect(r).toMatchObject({
      chart: "velero",
      repository: "https://vmware-tanzu.github.io/helm-charts",
      version: "12.1.0",
      namespace: "velero",
      create_namespace: true,
    });
    expect(v.initContainers).toEqual([
      {
        name: "velero-plugin-for-aws",
        image: "velero/velero-plugin-for-aws:v1.14.0",
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ]);
  });

  it("upgrades its CRDs with the chart (the pre-upgrade job), since Helm never upgrades crds/", () => {
    expect(build().v.upgradeCRDs).toBe(true);
    // kubectl pinned to the cluster's minor: the chart's default tag is the API server's version, "-eks-" suffix and all.
    expect(build().v.kubectl).toEqual({ image: { tag: "v1.36.0" } });
    expect(() => build({ kubernetesVersion: "1.30" })).toThrow(/velero.kubernetesVersion: no kubectl image is pinned for Kubernetes 1.30/);
  });

  it("stores backups in the bucket with the KMS key, snapshots EBS, and uses IRSA instead of keys", () => {
    const { v } = build();
    expect(v.configuration.backupStorageLocation).toEqual([
      {
        name: "default",
        provider: "aws",
        bucket: "shipyard-dev-backups-111111111111",
        default: true,
        config: { region: "eu-west-1", kmsKeyId: base.kmsKeyArn },
      },
    ]);
    expect(v.configuration.volumeSnapshotLocation).toEqual([{ name: "default", provider: "aws", config: { region: "eu-west-1" } }]);
    expect(v.credentials).toEqual({ useSecret: false });
    expect(v.serviceAccount.server).toEqual({
      create: true,
      name: "velero-server",
      annotations: { "eks.amazonaws.com/role-arn": ROLE("velero") },
    });
  });

  it("turns the tier's schedules into Velero schedules with their TTL", () => {
    const dev = build().v.schedules;
    expect(dev).toEqual({
      daily: {
        disabled: false,
        schedule: "0 3 * * *",
        useOwnerReferencesInBackup: false,
        template: { ttl: "72h0m0s", storageLocation: "default", includedNamespaces: ["*"], snapshotVolumes: true },
      },
    });
    const prod = build({
      schedules: [
        { name: "hourly", cron: "0 * * * *", ttlHours: 48 },
        { name: "daily", cron: "0 3 * * *", ttlHours: 720 },
      ],
    }).v.schedules;
    expect(Object.keys(prod)).toEqual(["hourly", "daily"]);
    expect(prod.daily.template.ttl).toBe("720h0m0s");
  });

  it.each([
    ["an unpinned plugin image", { awsPluginImage: "velero/velero-plugin-for-aws:latest" }, /not pinned/],
    ["no schedules", { schedules: [] }, /at least one schedule/],
    ["a bad cron", { schedules: [{ name: "x", cron: "daily", ttlHours: 1 }] }, /five-field cron/],
    [
      "duplicate schedules",
      {
        schedules: [
          { name: "x", cron: "0 3 * * *", ttlHours: 1 },
          { name: "x", cron: "0 4 * * *", ttlHours: 1 },
        ],
      },
      /duplicate schedule/,
    ],
    ["a missing bucket", { bucket: "" }, /bucket: required/],
    [
      "a chart range",
      { chart: { repository: "https://vmware-tanzu.github.io/helm-charts", chart: "velero", version: "7" } },
      /not an exact version/,
    ],
  ] as [string, Partial<VeleroProps>, RegExp][])("refuses %s", (_n, over, message) => {
    expect(() => build(over)).toThrow(ShipyardValidationError);
    expect(() => build(over)).toThrow(message);
  });
});
