import { Fn } from "cdktf";
import type { Construct } from "constructs";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";

export interface KubernetesProvidersProps {
  /** Name of the EKS cluster created by the cluster stack. */
  readonly clusterName: string;
  readonly region: string;
  /**
   * `token`: a short-lived token from the `aws_eks_cluster_auth` data source (works on Terraform Cloud's
   * remote runners, which have no `aws` CLI). `exec`: `aws eks get-token` on every call (no token in plan files).
   */
  readonly auth: "token" | "exec";
}

export interface KubernetesProviders {
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
  /** The API server endpoint, for values that need it. */
  readonly endpoint: string;
}

/**
 * Kubernetes and Helm providers for the layers after the cluster. They read the cluster by name through
 * data sources, never from resources of the same apply: a provider configured from a cluster created in
 * the same run fails, which is why these providers live only in `platform` and `workloads`.
 */
export function configureKubernetesProviders(scope: Construct, props: KubernetesProvidersProps): KubernetesProviders {
  const cluster = new DataAwsEksCluster(scope, "eks-cluster", { name: props.clusterName });
  const host = cluster.endpoint;
  const clusterCaCertificate = Fn.base64decode(cluster.certificateAuthority.get(0).data);
  const exec = {
    apiVersion: "client.authentication.k8s.io/v1beta1",
    command: "aws",
    args: ["eks", "get-token", "--cluster-name", props.clusterName, "--region", props.region, "--output", "json"],
  };
  let token: string | undefined;
  if (props.auth === "token") {
    token = new DataAwsEksClusterAuth(scope, "eks-cluster-auth", { name: props.clusterName }).token;
  }
  const kubernetes = new KubernetesProvider(scope, "kubernetes", {
    host,
    clusterCaCertificate,
    ...(token ? { token } : { exec: [exec] }),
  });
  const helm = new HelmProvider(scope, "helm", {
    kubernetes: { host, clusterCaCertificate, ...(token ? { token } : { exec }) },
  });
  return { kubernetes, helm, endpoint: host };
}
