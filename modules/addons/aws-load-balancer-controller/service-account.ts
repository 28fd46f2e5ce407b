import { KUBE_SYSTEM_NAMESPACE, type ServiceAccountRef } from "../../core/service-account";

/** Where the controller runs and the service account its release creates: the one its IRSA role trusts. */
export const AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT = {
  namespace: KUBE_SYSTEM_NAMESPACE,
  serviceAccount: "aws-load-balancer-controller",
} as const satisfies ServiceAccountRef;
