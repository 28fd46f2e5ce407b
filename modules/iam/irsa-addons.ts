import type { ServiceAccountRef } from "../core/service-account";
import { AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from "../addons/aws-load-balancer-controller/service-account";
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from "../addons/cluster-autoscaler/service-account";
import { EXTERNAL_SECRETS_SERVICE_ACCOUNT } from "../addons/external-secrets/service-account";
import { ALERTMANAGER_SERVICE_ACCOUNT } from "../addons/kube-prometheus-stack/service-account";
import { VELERO_SERVICE_ACCOUNT } from "../addons/velero/service-account";
import { EBS_CSI_SERVICE_ACCOUNT, VPC_CNI_SERVICE_ACCOUNT } from "../eks-cluster/service-accounts";

/**
 * The add-ons that call AWS through IRSA, in a stable order, each with the one service account its role
 * (`shipyard-<env>-<addon>`) trusts. The service accounts are the add-on modules' own exports, the defaults
 * their releases create, so a namespace or service-account name is written only in its add-on's module.
 */
export const IRSA_SERVICE_ACCOUNTS = {
  "vpc-cni": VPC_CNI_SERVICE_ACCOUNT,
  "ebs-csi": EBS_CSI_SERVICE_ACCOUNT,
  "aws-load-balancer-controller": AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  "cluster-autoscaler": CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  "external-secrets": EXTERNAL_SECRETS_SERVICE_ACCOUNT,
  velero: VELERO_SERVICE_ACCOUNT,
  alertmanager: ALERTMANAGER_SERVICE_ACCOUNT,
} as const satisfies Record<string, ServiceAccountRef>;

/** An add-on with an IRSA role, e.g. `cluster-autoscaler`: also the suffix of its role name. */
export type IrsaAddon = keyof typeof IRSA_SERVICE_ACCOUNTS;

/** The add-ons that get an IRSA role, in a stable order. */
export const IRSA_ADDONS = Object.keys(IRSA_SERVICE_ACCOUNTS) as readonly IrsaAddon[];
