import type { Construct } from "constructs";
import { Token, type ITerraformDependable } from "cdktf";
import { Release } from "@cdktf/provider-helm/lib/release";
import { DNS_LABEL, ShipyardValidationError } from "../core";

/** A chart pinned to one exact version in one repository. */
export interface ChartRef {
  /** Helm repository URL (https). */
  readonly repository: string;
  /** Chart name in that repository. */
  readonly chart: string;
  /** Exact SemVer, e.g. `81.4.5`: ranges, wildcards and `latest` are refused. */
  readonly version: string;
}

/** `1.2.3` (optionally `v1.2.3`), nothing else: a range would let `helm upgrade` pick a different chart. */
export const EXACT_CHART_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function assertExactVersion(path: string, version: string): void {
  if (!EXACT_CHART_VERSION.test(version)) {
    throw new ShipyardValidationError(
      path,
      `chart version "${version}" is not an exact version (expected MAJOR.MINOR.PATCH such as 1.2.3; ranges like ^1.2 or ~1 are refused)`,
    );
  }
}

export function assertChart(path: string, chart: ChartRef): void {
  assertExactVersion(`${path}.version`, chart.version);
  if (!/^https:\/\/\S+$/.test(chart.repository)) {
    throw new ShipyardValidationError(`${path}.repository`, `"${chart.repository}" is not an https Helm repository URL`);
  }
}

/** Refuses an empty (or whitespace) value for a prop that has no safe default. */
export function requireValue(path: string, value: string | undefined, expected: string): string {
  if (value === undefined || (!Token.isUnresolved(value) && value.trim() === "")) {
    throw new ShipyardValidationError(path, `required (expected ${expected})`);
  }
  return value;
}

/** Refuses a value that does not match `pattern` (Terraform tokens pass: they are checked at apply time). */
export function requirePattern(path: string, value: string | undefined, pattern: RegExp, expected: string): string {
  const v = requireValue(path, value, expected);
  if (!Token.isUnresolved(v) && !pattern.test(v)) throw new ShipyardValidationError(path, `"${v}" is not ${expected}`);
  return v;
}

/** The add-ons validate names with the shared rule (modules/core/names.ts); re-exported for them. */
export { DNS_LABEL };
export const IAM_ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@\/-]{1,64}$/;

/**
 * registry.k8s.io/kubectl tag per Kubernetes minor, for the charts' CRD upgrade jobs. Pinned, because the charts
 * default to the API server's version, which on EKS carries a suffix (`v1.36.2-eks-…`) no kubectl image has.
 */
export const KUBECTL_IMAGE_TAGS: Readonly<Record<string, string>> = { "1.36": "v1.36.0" };

/** The kubectl tag for the cluster's minor, or a refusal naming the prop. */
export function kubectlImageTag(path: string, kubernetesVersion: string): string {
  const tag = KUBECTL_IMAGE_TAGS[kubernetesVersion];
  if (!tag) {
    throw new ShipyardValidationError(
      path,
      `no kubectl image is pinned for Kubernetes ${kubernetesVersion} (expected one of: ${Object.keys(KUBECTL_IMAGE_TAGS).join(", ")}; add its release to KUBECTL_IMAGE_TAGS)`,
    );
  }
  return tag;
}

/** Kubernetes toleration (the subset charts accept in `tolerations`). */
export interface Toleration {
  /** Empty with `Exists`: every taint. */
  readonly key?: string;
  readonly operator: "Exists" | "Equal";
  readonly value?: string;
  readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** Tolerates the taint EKS system node groups carry, so add-ons can run there. */
export const CRITICAL_ADDONS_ONLY: Toleration = { key: "CriticalAddonsOnly", operator: "Exists" };

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

export interface Affinity {
  readonly nodeAffinity?: {
    readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly {
      readonly weight: number;
      readonly preference: { readonly matchExpressions: readonly NodeSelectorRequirement[] };
    }[];
  };
}

/** Where system add-ons run: tolerate the system group's taint and prefer (never require) its nodes. */
export interface SystemPlacement {
  /**
   * Node label and values identifying the system node group (e.g. `eks.amazonaws.com/nodegroup` in
   * [`shipyard-prod-system`]). Preferred, never required, so the add-on still schedules elsewhere.
   * @default undefined (no preference; the toleration still applies)
   */
  readonly preferNodes?: { readonly key: string; readonly values: readonly string[] };
}

/** Props every add-on takes besides its own; each add-on documents its namespace and chart. */
export interface AddonCommonProps {
  /** Create a ServiceMonitor (needs the Prometheus Operator CRDs installed first). @default false */
  readonly serviceMonitor?: boolean;
  /** Where the add-on's pods run. @default the system node group, tolerating CriticalAddonsOnly */
  readonly placement?: SystemPlacement;
  /** Namespace of the release. @default the add-on's own (see its class) */
  readonly namespace?: string;
  /** Chart to install. @default the add-on's pinned `XXX_CHART` */
  readonly chart?: ChartRef;
  /** How long Helm waits for the release to become ready, in seconds. @default 600 */
  readonly timeoutSeconds?: number;
  /** What must exist first (CRDs, namespaces, secrets). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** DaemonSets that must run on every node (node-exporter) tolerate every taint. */
export const TOLERATE_EVERYTHING: Toleration = { operator: "Exists" };

export function systemTolerations(): Toleration[] {
  return [CRITICAL_ADDONS_ONLY];
}

export function systemAffinity(placement: SystemPlacement | undefined): Affinity {
  const prefer = placement?.preferNodes;
  if (!prefer || prefer.values.length === 0) return {};
  return {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, preference: { matchExpressions: [{ key: prefer.key, operator: "In", values: [...prefer.values] }] } },
      ],
    },
  };
}

/** A pod topology spread constraint (the subset Shipyard writes). */
export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
  readonly labelSelector: { readonly matchLabels: Record<string, string> };
  readonly matchLabelKeys?: readonly string[];
}

/**
 * Spread of a multi-replica add-on: never two replicas on one node (required), and across zones where the
 * nodes allow it (preferred: a zone may have no system node for a while). `pod-template-hash` keeps a rolling
 * update from counting the old ReplicaSet's pods. Charts' own anti-affinity is replaced by any custom
 * `affinity`, so Shipyard states the spread explicitly. Empty for one replica.
 */
export function spreadReplicas(replicas: number, podLabels: Record<string, string>, deployment = true): TopologySpreadConstraint[] {
  if (replicas < 2) return [];
  const base = {
    maxSkew: 1,
    labelSelector: { matchLabels: { ...podLabels } },
    ...(deployment ? { matchLabelKeys: ["pod-template-hash"] } : {}),
  };
  return [
    { ...base, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" },
    { ...base, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" },
  ];
}

export interface ResourceRequirements {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/**
 * The values document handed to Helm: JSON (valid YAML), keys in the order the module wrote them, two-space
 * indented so a review diff shows one changed value per line. Literal `${` and `%{` are escaped, so Terraform
 * does not read them as interpolation (Alertmanager and Prometheus templates contain `{{ }}`, never `${}`);
 * strings carrying a Terraform token (a cross-stack ARN) keep it.
 */
export function valuesDocument(values: unknown): string {
  return JSON.stringify(escapeTemplates(values), null, 2);
}

/**
 * The values as Helm documents, merged by Helm in order: the first holds every literal value and never a
 * Terraform token; the second, only when some value is one (a cross-stack ARN, a bucket name), holds just
 * those values at their key paths. CDKTF rescans a string that carries a token at every `}` while resolving
 * it, so one document of rule groups with a single ARN in it made synthesis quadratic in the number of
 * applications; a token-free document is copied as it is, whatever its size. Helm merges maps key by key
 * but replaces arrays, so an array that holds a token moves to the second document whole.
 */
export function valuesDocuments(values: unknown): string[] {
  if (!isObject(values)) return [valuesDocument(values)];
  const { literal, references } = splitReferences(values);
  if (references === undefined) return [valuesDocument(literal)];
  return Object.keys(literal).length === 0 ? [valuesDocument(references)] : [valuesDocument(literal), valuesDocument(references)];
}

/** True when `value` is, or holds anywhere inside, an unresolved Terraform token. */
export function holdsToken(value: unknown): boolean {
  if (Token.isUnresolved(value)) return true;
  if (Array.isArray(value)) return value.some(holdsToken);
  if (isObject(value)) return Object.values(value).some(holdsToken);
  return false;
}

function splitReferences(values: Record<string, unknown>): { literal: Record<string, unknown>; references?: Record<string, unknown> } {
  const literal: Record<string, unknown> = {};
  let references: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (isObject(value) && !Token.isUnresolved(value)) {
      const inner = splitReferences(value);
      // An object that held only references leaves no empty husk behind; an empty one (`{}`: "every namespace") stays.
      if (inner.references === undefined || Object.keys(inner.literal).length > 0) literal[key] = inner.literal;
      if (inner.references !== undefined) (references ??= {})[key] = inner.references;
    } else if (holdsToken(value)) {
      (references ??= {})[key] = value;
    } else {
      literal[key] = value;
    }
  }
  return references === undefined ? { literal } : { literal, references };
}

function escapeTemplates(value: unknown): unknown {
  if (typeof value === "string") {
    return Token.isUnresolved(value) ? value : value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
  }
  if (Array.isArray(value)) return value.map(escapeTemplates);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = escapeTemplates(v);
    return out;
  }
  return value;
}

export interface AddonReleaseProps {
  /** Release name. */
  readonly name: string;
  /** Namespace of the release (a DNS label). */
  readonly namespace: string;
  /** Let Helm create the namespace (false when a `kubernetes_namespace` resource owns it). */
  readonly createNamespace: boolean;
  /** Seconds Helm waits for every resource to be ready before it rolls the release back. */
  readonly timeoutSeconds: number;
  /** The chart values; rendered by `valuesDocuments` (literal values and cross-stack references in separate documents). */
  readonly values: unknown;
  /** What must exist first. @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * `helm_release` with the settings every Shipyard add-on shares: exact chart version, `atomic` (a failed
 * install or upgrade rolls back), `cleanup_on_fail`, `wait` for readiness, a bounded timeout, a short history.
 */
export function addonRelease(scope: Construct, id: string, chart: ChartRef, props: AddonReleaseProps): Release {
  assertChart(id, chart);
  if (!DNS_LABEL.test(props.namespace)) throw new ShipyardValidationError(`${id}.namespace`, `"${props.namespace}" is not a DNS label`);
  if (!Number.isInteger(props.timeoutSeconds) || props.timeoutSeconds < 60 || props.timeoutSeconds > 3600) {
    throw new ShipyardValidationError(`${id}.timeoutSeconds`, `${props.timeoutSeconds} is outside 60-3600 seconds`);
  }
  return new Release(scope, id, {
    name: props.name,
    repository: chart.repository,
    chart: chart.chart,
    version: chart.version,
    namespace: props.namespace,
    createNamespace: props.createNamespace,
    atomic: true,
    cleanupOnFail: true,
    wait: true,
    timeout: props.timeoutSeconds,
    maxHistory: 10,
    values: valuesDocuments(props.values),
    ...(props.dependsOn && props.dependsOn.length > 0 ? { dependsOn: [...props.dependsOn] } : {}),
  });
}

/**
 * The release of an add-on that takes `AddonCommonProps`: the namespace is the add-on's own unless the
 * props name another, and Helm waits 600 seconds unless they say otherwise.
 */
export function commonAddonRelease(
  scope: Construct,
  chart: ChartRef,
  release: { name: string; namespace: string; createNamespace: boolean },
  props: AddonCommonProps,
  values: unknown,
): Release {
  return addonRelease(scope, "release", chart, {
    name: release.name,
    namespace: props.namespace ?? release.namespace,
    createNamespace: release.createNamespace,
    timeoutSeconds: props.timeoutSeconds ?? 600,
    values,
    dependsOn: props.dependsOn,
  });
}

/** `eks.amazonaws.com/role-arn`: the annotation through which a service account assumes its IRSA role. */
export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

/** Deep merge for typed value overrides: objects merge key by key, arrays and scalars replace. */
export function mergeValues<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (!isObject(base) || !isObject(override)) return override as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = mergeValues((base as Record<string, unknown>)[k], v);
  return out as T;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Recursively optional, for typed `extraValues` overrides. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;
