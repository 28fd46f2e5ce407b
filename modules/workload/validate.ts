import { Token } from "cdktf";
import { DNS_1035_LABEL, DNS_HOST_NAME, DNS_LABEL, ShipyardValidationError } from "../core";
import { SECRET_VALUE_KEY } from "../secrets/names";
import { ACM_CERTIFICATE_ARN, HTTP_PATH } from "./endpoint";
import { PRE_STOP_SLEEP_SECONDS, TERMINATION_GRACE_SECONDS } from "./limits";
import type { WorkloadProps } from "./props";
import { cpuMillis, memoryBytes } from "./quantity";
import { SETTING_NAME } from "./settings";

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DURATION = /^\d+(s|m|h)$/;
/** Capabilities the restricted Pod Security Standard lets a container add. */
const ALLOWED_CAPABILITIES = ["NET_BIND_SERVICE"];

const literal = (value: string) => !Token.isUnresolved(value);

/** Refuses props that would produce an insecure or broken workload; messages name the prop. */
export function validateWorkload(props: WorkloadProps): void {
  const fail = (path: string, problem: string): never => {
    throw new ShipyardValidationError(path, problem);
  };
  if (!DNS_1035_LABEL.test(props.name))
    fail("name", `${props.name} is not a DNS label (expected a-z, 0-9 and '-', starting with a letter)`);
  if (props.name.length > 50) fail("name", `${props.name} is longer than 50 characters (object names get suffixes such as -secrets)`);
  if (!DNS_1035_LABEL.test(props.namespace)) fail("namespace", `${props.namespace} is not a DNS label`);

  // Image
  const { repositoryUrl, tag } = props.image;
  if (literal(repositoryUrl) && (/[@]/.test(repositoryUrl) || /:[^/]*$/.test(repositoryUrl.replace(/^[^/]*\//, "")))) {
    fail("image.repositoryUrl", `${repositoryUrl} carries a tag or digest (expected the repository only; the tag is image.tag)`);
  }
  if (literal(tag)) {
    if (tag === "latest")
      fail(
        "image.tag",
        "latest is refused: it hides what runs and cannot be pushed twice to an immutable repository (expected a build tag)",
      );
    if (!IMAGE_TAG.test(tag)) fail("image.tag", `${tag} is not a valid image tag`);
  }

  // Port and replicas
  if (!Number.isInteger(props.port) || props.port < 1024 || props.port > 65535) {
    fail("port", `expected 1024-65535 (the container runs as non-root without NET_BIND_SERVICE), got ${props.port}`);
  }
  const r = props.replicas;
  if (!Number.isInteger(r.min) || r.min < 1) fail("replicas.min", `expected at least 1, got ${r.min}`);
  if (!Number.isInteger(r.max) || r.max < r.min) fail("replicas.max", `expected an integer >= replicas.min (${r.min}), got ${r.max}`);
  for (const key of ["targetCpuPercent", "targetMemoryPercent"] as const) {
    const v = r[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 100)) fail(`replicas.${key}`, `expected 1-100, got ${v}`);
  }

  // Resources
  if (!props.resources) {
    if (props.requireResources)
      fail("resources", "requests and limits are required here (expected resources.requests and resources.limits)");
  } else {
    const { requests, limits } = props.resources;
    for (const [path, value] of [
      ["requests.cpu", requests.cpu],
      ["limits.cpu", limits.cpu],
    ] as const) {
      if (cpuMillis(value) === undefined) fail(`resources.${path}`, `${value} is not a CPU quantity (expected e.g. 250m or 1)`);
    }
    for (const [path, value] of [
      ["requests.memory", requests.memory],
      ["limits.memory", limits.memory],
    ] as const) {
      if (memoryBytes(value) === undefined) fail(`resources.${path}`, `${value} is not a memory quantity (expected e.g. 256Mi)`);
    }
    if (cpuMillis(requests.cpu)! > cpuMillis(limits.cpu)!)
      fail("resources.requests.cpu", `${requests.cpu} exceeds limits.cpu ${limits.cpu}`);
    if (memoryBytes(requests.memory)! > memoryBytes(limits.memory)!) {
      fail("resources.requests.memory", `${requests.memory} exceeds limits.memory ${limits.memory}`);
    }
  }

  // Probes
  const probes = props.probes as Partial<WorkloadProps["probes"]> | undefined;
  if (!probes) fail("probes", "liveness and readiness probes are required (expected probes.livenessPath and probes.readinessPath)");
  for (const key of ["livenessPath", "readinessPath"] as const) {
    const path = probes![key];
    if (!path) fail(`probes.${key}`, "is missing (expected an HTTP path such as /healthz)");
    if (!HTTP_PATH.test(path!)) fail(`probes.${key}`, `${path} is not an HTTP path (expected e.g. /healthz)`);
  }
  if (probes!.startupPath !== undefined && !HTTP_PATH.test(probes!.startupPath)) {
    fail("probes.startupPath", `${probes!.startupPath} is not an HTTP path (expected e.g. /healthz)`);
  }
  const startup = probes!.startupSeconds;
  if (startup !== undefined && (!Number.isInteger(startup) || startup < 5 || startup > 3600))
    fail("probes.startupSeconds", `expected 5-3600, got ${startup}`);

  // Shutdown
  const G = TERMINATION_GRACE_SECONDS;
  const grace = props.terminationGraceSeconds ?? G.default;
  if (!Number.isInteger(grace) || grace < G.min || grace > G.max)
    fail("terminationGraceSeconds", `expected ${G.min}-${G.max}, got ${grace}`);
  const P = PRE_STOP_SLEEP_SECONDS;
  const preStop = props.preStopSleepSeconds ?? P.default;
  if (!Number.isInteger(preStop) || preStop < P.min || preStop > P.max)
    fail("preStopSleepSeconds", `expected ${P.min}-${P.max}, got ${preStop}`);

  // Security context
  const s = props.security ?? {};
  if (s.privileged) fail("security.privileged", "privileged containers are refused (they break the restricted Pod Security Standard)");
  if (s.allowPrivilegeEscalation) fail("security.allowPrivilegeEscalation", "privilege escalation is refused (expected false)");
  for (const key of ["runAsUser", "runAsGroup"] as const) {
    const id = s[key];
    if (id !== undefined && (!Number.isInteger(id) || id < 1)) fail(`security.${key}`, `expected a non-root id (1 or more), got ${id}`);
  }
  (s.addCapabilities ?? []).forEach((cap, i) => {
    if (!ALLOWED_CAPABILITIES.includes(cap))
      fail(`security.addCapabilities[${i}]`, `${cap} is refused (only ${ALLOWED_CAPABILITIES.join(", ")} may be added)`);
  });
  if (s.readOnlyRootFilesystem === false && !s.waiverReason?.trim()) {
    fail(
      "security.readOnlyRootFilesystem",
      "a writable root filesystem loosens a secure default (expected true, or security.waiverReason)",
    );
  }
  if (
    props.serviceAccount?.roleArn !== undefined &&
    literal(props.serviceAccount.roleArn) &&
    !/^arn:aws(-[a-z]+)?:iam::\d{12}:role\/.+$/.test(props.serviceAccount.roleArn)
  ) {
    fail("serviceAccount.roleArn", `${props.serviceAccount.roleArn} is not an IAM role ARN`);
  }

  // Settings and secrets
  const envNames = new Map<string, string>([["PORT", "port"]]);
  for (const key of Object.keys(props.config ?? {})) {
    if (!SETTING_NAME.test(key)) fail(`config.${key}`, "is not an environment variable name (expected UPPER_SNAKE_CASE)");
    if (envNames.has(key)) fail(`config.${key}`, `is set by Shipyard from ${envNames.get(key)} (remove it)`);
    envNames.set(key, `config.${key}`);
  }
  const secretNames = new Set<string>();
  (props.secrets ?? []).forEach((secret, i) => {
    const path = `secrets[${i}]`;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(secret.name))
      fail(`${path}.name`, `${secret.name} is not a secret name (expected a-z, 0-9 and '-')`);
    if (secretNames.has(secret.name)) fail(`${path}.name`, `duplicate secret ${secret.name}`);
    secretNames.add(secret.name);
    if (!secret.remoteKey) fail(`${path}.remoteKey`, "is missing (expected the Secrets Manager secret name)");
    if (secret.keys.length === 0) fail(`${path}.keys`, "expected at least one key of the secret value");
    secret.keys.forEach((key, j) => {
      if (!SECRET_VALUE_KEY.test(key)) fail(`${path}.keys[${j}]`, `${key} is not a secret key (expected letters, digits, '_', '.', '-')`);
      const env = `${secret.name}_${key}`.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
      if (envNames.has(env)) fail(`${path}.keys[${j}]`, `becomes environment variable ${env}, already set by ${envNames.get(env)}`);
      envNames.set(env, `${path}.keys[${j}]`);
    });
  });
  if (props.secretRefreshInterval !== undefined && !DURATION.test(props.secretRefreshInterval)) {
    fail("secretRefreshInterval", `${props.secretRefreshInterval} is not a duration (expected e.g. 1h)`);
  }

  // Ingress
  const ing = props.ingress;
  if (ing) {
    if (!DNS_HOST_NAME.test(ing.host)) fail("ingress.host", `${ing.host} is not a DNS host name`);
    if (ing.scheme !== "internal" && ing.scheme !== "internet-facing")
      fail("ingress.scheme", `expected internal or internet-facing, got ${String(ing.scheme)}`);
    if (ing.certificateArn === undefined) {
      if (ing.scheme === "internet-facing")
        fail("ingress.certificateArn", "an internet-facing ingress serves HTTPS only (expected an ACM certificate ARN)");
      if (!ing.allowPlainHttp)
        fail("ingress.certificateArn", "is missing (expected an ACM certificate ARN, or allowPlainHttp for an internal ingress)");
    } else if (literal(ing.certificateArn) && !ACM_CERTIFICATE_ARN.test(ing.certificateArn)) {
      fail("ingress.certificateArn", `${ing.certificateArn} is not an ACM certificate ARN`);
    }
    if (ing.path !== undefined && !HTTP_PATH.test(ing.path)) fail("ingress.path", `${ing.path} is not an HTTP path`);
    if (!DNS_LABEL.test(ing.className))
      fail("ingress.className", `${ing.className} is not an IngressClass name (expected a DNS label such as alb-payments-public)`);
    if (ing.sslPolicy !== undefined && !/^ELBSecurityPolicy-TLS13-/.test(ing.sslPolicy)) {
      fail(
        "ingress.sslPolicy",
        `${ing.sslPolicy} allows protocols older than TLS 1.2 or lacks TLS 1.3 (expected an ELBSecurityPolicy-TLS13-* policy)`,
      );
    }
  }

  // Metrics
  const m = props.metrics ?? {};
  if (m.path !== undefined && !HTTP_PATH.test(m.path)) fail("metrics.path", `${m.path} is not an HTTP path (expected e.g. /metrics)`);
  if (m.interval !== undefined && !DURATION.test(m.interval))
    fail("metrics.interval", `${m.interval} is not a duration (expected e.g. 30s)`);
  if (props.tmpSizeLimit !== undefined && memoryBytes(props.tmpSizeLimit) === undefined) {
    fail("tmpSizeLimit", `${props.tmpSizeLimit} is not a quantity (expected e.g. 64Mi)`);
  }
}
