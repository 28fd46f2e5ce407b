import { KUBE_SYSTEM_NAMESPACE, type ServiceAccountRef } from "../core/service-account";

/** The VPC CNI's service account (`aws-node`), fixed by the EKS add-on; its IRSA role trusts it. */
export const VPC_CNI_SERVICE_ACCOUNT = {
  namespace: KUBE_SYSTEM_NAMESPACE,
  serviceAccount: "aws-node",
} as const satisfies ServiceAccountRef;

/** The EBS CSI controller's service account, fixed by the EKS add-on; its IRSA role trusts it. */
export const EBS_CSI_SERVICE_ACCOUNT = {
  namespace: KUBE_SYSTEM_NAMESPACE,
  serviceAccount: "ebs-csi-controller-sa",
} as const satisfies ServiceAccountRef;
