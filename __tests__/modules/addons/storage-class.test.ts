import { describe, expect, it } from "vitest";
import { EncryptedStorageClass } from "../../../modules/storage-class";
import { ShipyardValidationError } from "../../../modules/core";
import { synth } from "./helpers";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0d2b7c55-1d1e-4a5e-9e53-6f2a9c4b1a01";

describe("EncryptedStorageClass", () => {
  it.each([["Retain"], ["Delete"]] as const)("is the default encrypted gp3 class with reclaim policy %s", (reclaimPolicy) => {
    const json = synth((s) => new EncryptedStorageClass(s, "sc", { kmsKeyArn: KEY, reclaimPolicy }));
    const [sc] = Object.values(json.resource!.kubernetes_storage_class_v1!);
    expect(sc).toMatchObject({
      metadata: { name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      storage_provisioner: "ebs.csi.aws.com",
      reclaim_policy: reclaimPolicy,
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY },
    });
    const [gp2] = Object.values(json.resource!.kubernetes_annotations!);
    expect(gp2).toMatchObject({
      api_version: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "gp2" },
      annotations: { "storageclass.kubernetes.io/is-default-class": "false" },
      force: true,
    });
    expect((sc as { depends_on: string[] }).depends_on).toEqual([expect.stringMatching(/^kubernetes_annotations\./)]);
  });

  it("refuses a key that is not a KMS ARN", () => {
    expect(() => synth((s) => new EncryptedStorageClass(s, "sc", { kmsKeyArn: "my-key", reclaimPolicy: "Delete" }))).toThrow(
      ShipyardValidationError,
    );
  });
});
