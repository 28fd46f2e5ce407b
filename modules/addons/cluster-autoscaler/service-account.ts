import { KUBE_SYSTEM_NAMESPACE, type ServiceAccountRef } from "../../core/service-account";

/** Where cluster-autoscaler runs and the service account its release creates: the one its IRSA role trusts. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = {
  namespace: KUBE_SYSTEM_NAMESPACE,
  serviceAccount: "cluster-autoscaler",
} as const satisfies ServiceAccountRef;
