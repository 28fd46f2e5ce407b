import { Construct } from "constructs";
import { Token } from "cdktf";
import { Annotations } from "@cdktf/provider-kubernetes/lib/annotations";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { ShipyardValidationError } from "../core";

export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

export interface EncryptedStorageClassProps {
  /** @default "gp3" */
  readonly name?: string;
  /** Customer KMS key (ARN) that encrypts every volume of the class. */
  readonly kmsKeyArn: string;
  /**
   * `Delete` for the team default class (a team's deleted claim frees its volume; the quota counts claims),
   * `Retain` for the platform's class (Prometheus, Alertmanager, Grafana volumes outlive a reinstall).
   */
  readonly reclaimPolicy: "Retain" | "Delete";
  /**
   * Make this the cluster default and take the default annotation off EKS's gp2 class. Only one class of the
   * cluster may be default. @default true
   */
  readonly isDefault?: boolean;
  /** The class EKS pre-installs as default. @default "gp2" */
  readonly legacyDefaultClass?: string;
}

/**
 * The default StorageClass: EBS CSI gp3, encrypted with the customer key, bound when the first consumer is
 * scheduled (so the volume lands in the pod's zone), expandable. EKS's gp2 class loses its default annotation
 * (through `kubernetes_annotations` with `force`, since EKS owns that object), so exactly one class is default.
 */
export class EncryptedStorageClass extends Construct {
  public readonly name: string;
  public readonly storageClass: StorageClassV1;

  constructor(scope: Construct, id: string, props: EncryptedStorageClassProps) {
    super(scope, id);
    const kms = props.kmsKeyArn;
    if (!Token.isUnresolved(kms) && !/^arn:aws(-[a-z]+)?:kms:[a-z0-9-]+:\d{12}:(key\/[0-9a-f-]{36}|alias\/[\w/-]+)$/.test(kms)) {
      throw new ShipyardValidationError("storageClass.kmsKeyArn", `"${kms}" is not a KMS key ARN`);
    }
    const isDefault = props.isDefault ?? true;
    this.name = props.name ?? "gp3";
    let legacy: Annotations | undefined;
    if (isDefault) {
      legacy = new Annotations(this, "legacy-default", {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: props.legacyDefaultClass ?? "gp2" },
        annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" },
        force: true,
      });
    }
    this.storageClass = new StorageClassV1(this, "class", {
      metadata: {
        name: this.name,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: isDefault ? "true" : "false" },
      },
      storageProvisioner: "ebs.csi.aws.com",
      reclaimPolicy: props.reclaimPolicy,
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: kms, "csi.storage.k8s.io/fstype": "ext4" },
      // Two defaults at once would make new claims ambiguous: drop gp2's annotation first.
      ...(legacy ? { dependsOn: [legacy] } : {}),
    });
  }
}
