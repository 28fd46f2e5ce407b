import type { Construct } from "constructs";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import {
  AwsLoadBalancerController,
  ClusterAutoscaler,
  ExternalSecrets,
  ExternalSecretSet,
  KubePrometheusStack,
  MetricsServer,
  RAW_CHART,
  TeamIngressClasses,
  Velero,
  type SystemPlacement,
} from "../../modules/addons";
import type { IrsaAddon } from "../../modules/iam/irsa-addons";
import { roleArn, secretName } from "../../modules/iam/naming";
import { NODE_KIND_LABEL } from "../../modules/node-groups";
import { EncryptedStorageClass } from "../../modules/storage-class";
import type { EnvironmentConfig } from "../config";
import { MONITORING_NAMESPACE } from "../config/naming";
import { alertmanagerConfig, alertmanagerSecretNames, prometheusRuleGroups } from "./monitoring-props";
import type { ClusterStack } from "./cluster";
import type { FoundationOutputs } from "./foundation";
import { configureKubernetesProviders, type KubernetesProviders } from "./kubernetes-providers";
import type { NetworkStack } from "./network";
import { addTeamNamespaces, PLATFORM_STORAGE_CLASS, teamIngressClasses, type TeamNamespaces } from "./platform-namespaces";
import { addJenkins } from "./platform-jenkins";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

export interface PlatformStackProps extends ShipyardStackProps {
  readonly foundation: FoundationOutputs;
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
}

/**
 * The IRSA role of an add-on: the cluster stack's typed output (`irsaRoleArns`, a cross-stack reference), or
 * without a cluster stack the deterministic ARN: same account, no path, `shipyard-<env>-<addon>`.
 */
export function addonRoleArn(env: EnvironmentConfig, cluster: ClusterStack | undefined, addon: IrsaAddon): string {
  return cluster?.irsaRoleArns[addon] ?? roleArn(env.account, env.clusterName, addon);
}

/**
 * Helm add-ons and cluster-wide Kubernetes objects. Order inside one apply (each Helm release waits until its
 * resources are ready, rolls back on failure):
 *
 * 1. the encrypted gp3 StorageClass (default) and the `monitoring` namespace;
 * 2. External Secrets (installs its CRDs), then the ClusterSecretStore, then the ExternalSecrets of the
 *    monitoring namespace (Grafana admin, Alertmanager receivers): Helm releases, because custom resources
 *    as `kubernetes_manifest` would need their CRDs at plan time, before this apply installed them;
 * 3. kube-prometheus-stack (installs the Prometheus Operator CRDs), once its Secrets and StorageClass exist;
 * 4. the load balancer controller, cluster-autoscaler, metrics-server and Velero, whose ServiceMonitors need
 *    those CRDs.
 *
 * ServiceMonitors, PrometheusRules and ExternalSecrets as `kubernetes_manifest` belong to the workloads layer.
 */
export class PlatformStack extends ShipyardStack {
  public readonly providers: KubernetesProviders;
  /** The default class, for team volumes: reclaim Delete. */
  public readonly storageClass: EncryptedStorageClass;
  /** The platform's class (Prometheus, Alertmanager, Grafana): reclaim Retain, not default, no team may use it. */
  public readonly platformStorageClass: EncryptedStorageClass;
  public readonly ingressClasses: TeamIngressClasses;
  public readonly externalSecrets: ExternalSecrets;
  public readonly monitoring: KubePrometheusStack;
  public readonly loadBalancerController: AwsLoadBalancerController;
  public readonly clusterAutoscaler: ClusterAutoscaler;
  public readonly metricsServer: MetricsServer;
  public readonly velero: Velero;
  public readonly teamNamespaces: TeamNamespaces;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "platform", props);
    const { env } = props;
    const prod = env.tier === "prod";
    this.providers = configureKubernetesProviders(this, {
      clusterName: env.clusterName,
      region: env.region,
      auth: env.cluster.kubernetesAuth,
    });

    // Node groups carry their kind as a label (modules/node-groups); system add-ons prefer the system group.
    const hasSystemGroup = env.cluster.nodeGroups.some((ng) => ng.kind === "system");
    const placement: SystemPlacement = hasSystemGroup ? { preferNodes: { key: NODE_KIND_LABEL, values: ["system"] } } : {};

    this.storageClass = new EncryptedStorageClass(this, "storage-class", {
      kmsKeyArn: props.foundation.keyArns.ebs,
      reclaimPolicy: "Delete",
    });
    this.platformStorageClass = new EncryptedStorageClass(this, "platform-storage-class", {
      name: PLATFORM_STORAGE_CLASS,
      kmsKeyArn: props.foundation.keyArns.ebs,
      reclaimPolicy: "Retain",
      isDefault: false,
    });

    const monitoringNamespace = new NamespaceV1(this, "monitoring-namespace", {
      metadata: {
        name: MONITORING_NAMESPACE,
        labels: { "shipyard.io/environment": env.name, "pod-security.kubernetes.io/enforce": "privileged" },
      },
    });

    this.externalSecrets = new ExternalSecrets(this, "external-secrets", {
      roleArn: addonRoleArn(env, props.cluster, "external-secrets"),
      region: env.region,
      replicas: prod ? 2 : 1,
      placement,
    });

    const monitoringSecretNames = [...new Set([env.monitoring.grafana.adminSecret, ...alertmanagerSecretNames(env)])].sort();
    const monitoringSecrets = new ExternalSecretSet(this, "monitoring-secrets", {
      name: "monitoring-secrets",
      namespace: MONITORING_NAMESPACE,
      secrets: monitoringSecretNames.map((name) => ({
        name,
        remoteKey: props.foundation.secretNames[name] ?? secretName(env.clusterName, name),
      })),
      dependsOn: [this.externalSecrets.storeRelease, monitoringNamespace],
    });

    this.monitoring = new KubePrometheusStack(this, "kube-prometheus-stack", {
      namespace: MONITORING_NAMESPACE,
      clusterName: env.clusterName,
      kubernetesVersion: env.cluster.version,
      storageClassName: this.platformStorageClass.name,
      prometheus: { ...env.monitoring.prometheus },
      alertmanager: {
        roleArn: addonRoleArn(env, props.cluster, "alertmanager"),
        config: alertmanagerConfig(env, props.foundation.alertsTopicArn),
        secrets: alertmanagerSecretNames(env),
      },
      grafana: { adminExistingSecret: env.monitoring.grafana.adminSecret, storageGiB: env.monitoring.grafana.storageGiB },
      ruleGroups: prometheusRuleGroups(env),
      placement,
      dependsOn: [monitoringSecrets.release, this.platformStorageClass.storageClass],
    });

    // Everything below creates ServiceMonitors: the Prometheus Operator CRDs must exist first.
    const afterMonitoring = [this.monitoring.release];
    this.loadBalancerController = new AwsLoadBalancerController(this, "aws-load-balancer-controller", {
      clusterName: env.clusterName,
      region: env.region,
      vpcId: props.network.network.vpcId,
      roleArn: addonRoleArn(env, props.cluster, "aws-load-balancer-controller"),
      replicas: prod ? 2 : 1,
      serviceMonitor: true,
      placement,
      dependsOn: afterMonitoring,
    });
    this.clusterAutoscaler = new ClusterAutoscaler(this, "cluster-autoscaler", {
      clusterName: env.clusterName,
      region: env.region,
      roleArn: addonRoleArn(env, props.cluster, "cluster-autoscaler"),
      kubernetesVersion: env.cluster.version,
      nodeGroups: env.cluster.nodeGroups.map((ng) => ({ name: ng.name, kind: ng.kind })),
      serviceMonitor: true,
      placement,
      dependsOn: afterMonitoring,
    });
    this.metricsServer = new MetricsServer(this, "metrics-server", {
      replicas: prod ? 2 : 1,
      serviceMonitor: true,
      placement,
      dependsOn: afterMonitoring,
    });
    this.velero = new Velero(this, "velero", {
      bucket: props.foundation.backupBucketName,
      // The bucket's objects are encrypted with the foundation's S3 key.
      kmsKeyArn: props.foundation.keyArns.s3,
      region: env.region,
      roleArn: addonRoleArn(env, props.cluster, "velero"),
      kubernetesVersion: env.cluster.version,
      schedules: env.backup.schedules,
      serviceMonitor: true,
      placement,
      dependsOn: afterMonitoring,
    });

    // One IngressClass per team and scheme, bound to the team's namespaces and its own IngressGroup.
    this.ingressClasses = new TeamIngressClasses(this, "team-ingress-classes", {
      classes: teamIngressClasses(env),
      rawChart: RAW_CHART,
      dependsOn: [this.loadBalancerController.release],
    });

    this.teamNamespaces = addTeamNamespaces(this, env, { monitoringNamespace: MONITORING_NAMESPACE });
    addJenkins(this, env, props, {
      storageClassName: this.storageClass.name,
      dependsOn: [this.externalSecrets.storeRelease, this.storageClass.storageClass],
    });
  }
}
