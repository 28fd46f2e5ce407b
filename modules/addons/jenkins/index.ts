import { Construct } from "constructs";
import type { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { DNS_HOST_NAME, ShipyardValidationError } from "../../core";
import { CLUSTER_SECRET_STORE, CLUSTER_SECRET_STORE_REF, EXTERNAL_SECRETS_API_VERSION, RAW_CHART } from "../external-secrets";
import {
  addonRelease,
  assertChart,
  DNS_LABEL,
  IAM_ROLE_ARN,
  requirePattern,
  systemAffinity,
  type AddonCommonProps,
  type ChartRef,
  type ResourceRequirements,
} from "../release";
import { EXACT_PLUGIN } from "./plugins";

export * from "./plugins";

/** jenkinsci/helm-charts `jenkins` 5.9.53 (Jenkins 2.568.2); values checked against its values.schema.json. */
export const JENKINS_CHART: ChartRef = {
  repository: "https://charts.jenkins.io",
  chart: "jenkins",
  version: "5.9.53",
};

const ACM_ARN = /^arn:aws(-[a-z]+)?:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/;

/** The path GitHub delivers webhooks to; the only one served by the public ingress. */
export const GITHUB_WEBHOOK_PATH = "/github-webhook/";

/** A Jenkins credential read by the Kubernetes credentials provider from a Secret that External Secrets syncs. */
export interface JenkinsCredential {
  /** Credential ID, also the Kubernetes Secret's name (e.g. `github-app`). */
  readonly id: string;
  /** Secrets Manager secret it is synced from (e.g. `shipyard-tools/jenkins-github-app`). */
  readonly remoteKey: string;
  /** `secretText` (key `text`) or `gitHubApp` (key `privateKey`, app id from `appId`). */
  readonly type: "secretText" | "gitHubApp";
  /** GitHub App id, for `gitHubApp`. */
  readonly appId?: string;
  readonly description: string;
}

/** A service account of the agents, with its IRSA role when the agent needs an AWS identity. */
export interface AgentServiceAccount {
  readonly name: string;
  /** IRSA role ARN (annotation `eks.amazonaws.com/role-arn`). @default none: the agent gets no AWS identity */
  readonly roleArn?: string;
}

/** Namespace `jenkins` and chart `JENKINS_CHART` unless given. */
export interface JenkinsControllerProps extends Omit<AddonCommonProps, "serviceMonitor"> {
  /** UI host name: internal load balancer only. */
  readonly hostname: string;
  /** Public host name: serves `/github-webhook/` and nothing else. */
  readonly webhookHostname: string;
  /** ACM certificate covering both host names. */
  readonly certificateArn: string;
  /** Plugins with exact versions; the controller installs exactly these (no latest dependencies). */
  readonly plugins: readonly string[];
  /** JCasC documents by name (`casc.yaml` …); Jenkins reloads them on change. */
  readonly casc: Readonly<Record<string, string>>;
  /** StorageClass of JENKINS_HOME (the encrypted gp3 class). */
  readonly storageClassName: string;
  /** @default 50 */
  readonly storageGiB?: number;
  /** @default requests 1 CPU / 4Gi, limits 2 CPU / 4Gi */
  readonly resources?: ResourceRequirements;
  /** Jenkins credentials, each an ExternalSecret from Secrets Manager labelled for the Kubernetes credentials provider. */
  readonly credentials: readonly JenkinsCredential[];
  /** Secrets Manager secrets mounted for JCasC variables (`${<name>-<key>}`), e.g. the OIDC client secret. */
  readonly cascSecrets: readonly { readonly name: string; readonly remoteKey: string; readonly key: string }[];
  /** The agent pods' service accounts (one per pod template), with the IAM role each assumes, if any. */
  readonly agentServiceAccounts: readonly AgentServiceAccount[];
  /** The ClusterSecretStore External Secrets reads from. @default CLUSTER_SECRET_STORE */
  readonly storeName?: string;
}

/**
 * The Jenkins controller: the `jenkins` chart with configuration as code only (no setup wizard, no local
 * users, no executors on the controller), plugins pinned exactly, JENKINS_HOME on an encrypted persistent
 * volume (backed up by Velero's schedules, which cover every namespace and snapshot volumes), the UI on an
 * internal ALB and only `/github-webhook/` on an internet-facing one. Credentials come from Kubernetes Secrets
 * (synced by External Secrets from Secrets Manager, labelled for the Kubernetes credentials provider): no
 * secret value passes through Terraform. The agents' service accounts carry their IRSA roles and never mount
 * an API token.
 */
export class JenkinsController extends Construct {
  public readonly namespace: NamespaceV1;
  public readonly secretsRelease: Release;
  public readonly release: Release;
  public readonly serviceAccounts: readonly ServiceAccountV1[];
  public readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: JenkinsControllerProps) {
    super(scope, id);
    const chart = props.chart ?? JENKINS_CHART;
    assertChart("jenkins.chart", chart);
    const namespace = props.namespace ?? "jenkins";
    if (!DNS_LABEL.test(namespace)) throw new ShipyardValidationError("jenkins.namespace", `"${namespace}" is not a DNS label`);
    requirePattern("jenkins.hostname", props.hostname, DNS_HOST_NAME, "a DNS host name");
    requirePattern("jenkins.webhookHostname", props.webhookHostname, DNS_HOST_NAME, "a DNS host name");
    if (props.hostname === props.webhookHostname) {
      throw new ShipyardValidationError(
        "jenkins.webhookHostname",
        "must differ from hostname: the UI stays internal, only the webhook is public",
      );
    }
    requirePattern("jenkins.certificateArn", props.certificateArn, ACM_ARN, "an ACM certificate ARN");
    if (props.plugins.length === 0) throw new ShipyardValidationError("jenkins.plugins", "at least one plugin");
    props.plugins.forEach((p, i) => {
      if (!EXACT_PLUGIN.test(p))
        throw new ShipyardValidationError(`jenkins.plugins[${i}]`, `"${p}" has no exact version (expected name:version)`);
    });
    const storageGiB = props.storageGiB ?? 50;
    if (!Number.isInteger(storageGiB) || storageGiB < 8 || storageGiB > 1000) {
      throw new ShipyardValidationError("jenkins.storageGiB", `${storageGiB} is outside 8-1000`);
    }
    props.agentServiceAccounts.forEach((sa, i) => {
      requirePattern(`jenkins.agentServiceAccounts[${i}].name`, sa.name, DNS_LABEL, "a service account name");
      if (sa.roleArn !== undefined)
        requirePattern(`jenkins.agentServiceAccounts[${i}].roleArn`, sa.roleArn, IAM_ROLE_ARN, "an IAM role ARN");
    });
    props.credentials.forEach((c, i) => {
      requirePattern(`jenkins.credentials[${i}].id`, c.id, DNS_LABEL, "a credential ID that is a Kubernetes Secret name");
      if (c.type === "gitHubApp" && !/^\d+$/.test(c.appId ?? ""))
        throw new ShipyardValidationError(`jenkins.credentials[${i}].appId`, "the GitHub App id");
    });

    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: {
        name: namespace,
        // Agents build images rootless (user namespaces): baseline, not restricted.
        labels: { "pod-security.kubernetes.io/enforce": "baseline", "app.kubernetes.io/part-of": "jenkins" },
      },
    });

    this.serviceAccounts = props.agentServiceAccounts.map(
      (sa) =>
        new ServiceAccountV1(this, `agent-${sa.name}`, {
          metadata: {
            name: sa.name,
            namespace,
            labels: { "app.kubernetes.io/component": "jenkins-agent" },
            ...(sa.roleArn ? { annotations: { "eks.amazonaws.com/role-arn": sa.roleArn } } : {}),
          },
          automountServiceAccountToken: false,
        }),
    );

    const store = props.storeName ?? CLUSTER_SECRET_STORE;
    const externalSecret = (name: string, remoteKey: string, metadata: Record<string, unknown>, data: Record<string, string>) => ({
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: "ExternalSecret",
      metadata: { name, namespace },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: CLUSTER_SECRET_STORE_REF.kind, name: store },
        target: { name, creationPolicy: "Owner", deletionPolicy: "Retain", template: { engineVersion: "v2", metadata, data } },
        dataFrom: [{ extract: { key: remoteKey } }],
      },
    });
    const resources = [
      ...props.credentials.map((c) =>
        externalSecret(
          c.id,
          c.remoteKey,
          {
            labels: { "jenkins.io/credentials-type": c.type },
            annotations: { "jenkins.io/credentials-description": c.description },
          },
          c.type === "gitHubApp" ? { appID: c.appId!, privateKey: "{{ .privateKey }}" } : { text: "{{ .text }}" },
        ),
      ),
      ...props.cascSecrets.map((s) => externalSecret(s.name, s.remoteKey, {}, { [s.key]: `{{ .${s.key} }}` })),
    ];
    this.secretsRelease = addonRelease(this, "secrets", RAW_CHART, {
      name: "jenkins-secrets",
      namespace,
      createNamespace: false,
      timeoutSeconds: 300,
      values: { resources },
      dependsOn: [this.namespace, ...(props.dependsOn ?? [])],
    });

    const ingressAnnotations = (scheme: "internal" | "internet-facing", group: string) => ({
      "alb.ingress.kubernetes.io/scheme": scheme,
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/group.name": group,
      "alb.ingress.kubernetes.io/certificate-arn": props.certificateArn,
      "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    });
    this.values = {
      controller: {
        numExecutors: 0,
        admin: { createSecret: false },
        installPlugins: [...props.plugins],
        installLatestPlugins: false,
        installLatestSpecifiedPlugins: false,
        overwritePlugins: true,
        initializeOnce: false,
        resources: props.resources ?? { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "2", memory: "4Gi" } },
        javaOpts: "-XX:MaxRAMPercentage=75 -Djenkins.install.runSetupWizard=false",
        jenkinsUrlProtocol: "https",
        jenkinsUrl: `https://${props.hostname}/`,
        affinity: systemAffinity(props.placement),
        additionalExistingSecrets: props.cascSecrets.map((s) => ({ name: s.name, keyName: s.key })),
        JCasC: {
          defaultConfig: false,
          overwriteConfiguration: true,
          configScripts: { ...props.casc },
          security: {
            apiToken: { creationOfLegacyTokenEnabled: false, tokenGenerationOnCreationEnabled: false, usageStatisticsEnabled: false },
          },
        },
        sidecars: { configAutoReload: { enabled: true } },
        ingress: {
          enabled: true,
          apiVersion: "networking.k8s.io/v1",
          ingressClassName: "alb",
          hostName: props.hostname,
          pathType: "Prefix",
          path: "/",
          annotations: ingressAnnotations("internal", "jenkins-internal"),
        },
        // Internet-facing, one exact path: GitHub reaches the webhook, nobody reaches the UI.
        secondaryingress: {
          enabled: true,
          apiVersion: "networking.k8s.io/v1",
          ingressClassName: "alb",
          hostName: props.webhookHostname,
          pathType: "Exact",
          paths: [GITHUB_WEBHOOK_PATH],
          annotations: ingressAnnotations("internet-facing", "jenkins-webhook"),
        },
      },
      agent: { enabled: false },
      persistence: { enabled: true, storageClass: props.storageClassName, size: `${storageGiB}Gi`, accessMode: "ReadWriteOnce" },
      // The Kubernetes credentials provider reads the credential Secrets of this namespace.
      rbac: { create: true, readSecrets: true },
      serviceAccount: { create: true },
      serviceAccountAgent: { create: false },
    };
    this.release = addonRelease(this, "release", chart, {
      name: "jenkins",
      namespace,
      createNamespace: false,
      timeoutSeconds: props.timeoutSeconds ?? 900,
      values: this.values,
      dependsOn: [this.secretsRelease, ...this.serviceAccounts],
    });
  }
}
