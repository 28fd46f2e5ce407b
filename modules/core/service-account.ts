/**
 * A Kubernetes service account by namespace and name: what an add-on's Helm release (or EKS) creates and
 * what the add-on's IRSA role trusts (`system:serviceaccount:<namespace>:<serviceAccount>`). Each add-on
 * module exports its own, and uses it as its default; the IRSA roles are built from those exports.
 */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** The namespace of the cluster's own components (CoreDNS, kube-proxy, the VPC CNI) and the system add-ons. */
export const KUBE_SYSTEM_NAMESPACE = "kube-system";
