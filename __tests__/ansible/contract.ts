/**
 * The shape of generated/ansible/<env>.yml that the roles consume (ansible/README.md documents it).
 * Returns the problems found, each naming the key path; an empty list means the file is usable.
 */
export function contractProblems(vars: unknown): string[] {
  const problems: string[] = [];
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const str = (v: unknown, path: string, re?: RegExp) => {
    if (typeof v !== "string" || v.length === 0) problems.push(`${path}: expected a non-empty string`);
    else if (re && !re.test(v)) problems.push(`${path}: ${JSON.stringify(v)} does not match ${re}`);
  };
  const scalarMap = (v: unknown, path: string) => {
    if (!isMap(v)) return problems.push(`${path}: expected a mapping`);
    for (const [k, x] of Object.entries(v)) {
      if (!["string", "number", "boolean"].includes(typeof x)) problems.push(`${path}.${k}: expected a scalar`);
    }
  };
  if (!isMap(vars)) return ["(root): expected a mapping"];

  str(vars.shipyard_env, "shipyard_env", /^[a-z][a-z0-9-]*$/);
  str(vars.cluster_name, "cluster_name");
  if (typeof vars.shipyard_env === "string" && vars.cluster_name !== `shipyard-${vars.shipyard_env}`) {
    problems.push(`cluster_name: expected shipyard-${vars.shipyard_env} (the inventory filters on it)`);
  }
  str(vars.aws_region, "aws_region", /^[a-z]{2}(-gov)?-[a-z]+-\d$/);
  str(vars.ssm_bucket, "ssm_bucket", /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);

  const node = vars.node;
  if (!isMap(node)) problems.push("node: expected a mapping");
  else {
    scalarMap(node.sysctls, "node.sysctls");
    if (isMap(node.sysctls)) {
      for (const k of Object.keys(node.sysctls)) {
        if (!/^[a-z0-9_]+(\.[a-z0-9_*-]+)+$/.test(k)) problems.push(`node.sysctls.${k}: not a sysctl key`);
      }
    }
    if (!isMap(node.kubelet)) problems.push("node.kubelet: expected a mapping");
    else {
      for (const k of Object.keys(node.kubelet)) {
        if (!/^[a-z][a-z0-9_]*$/.test(k)) problems.push(`node.kubelet.${k}: expected a snake_case KubeletConfiguration field`);
      }
    }
    if (node.journald !== undefined) scalarMap(node.journald, "node.journald");
  }

  const dashboards = vars.dashboards;
  if (!isMap(dashboards)) problems.push("dashboards: expected a mapping");
  else {
    str(dashboards.namespace, "dashboards.namespace");
    str(dashboards.folder, "dashboards.folder");
    if (dashboards.files !== undefined) {
      if (!Array.isArray(dashboards.files)) problems.push("dashboards.files: expected a list");
      else {
        dashboards.files.forEach((f, i) => {
          str(f, `dashboards.files[${i}]`, /^generated\/dashboards\/[^/].*\.json$/);
        });
      }
    }
  }

  const apps = vars.applications;
  if (!Array.isArray(apps)) problems.push("applications: expected a list");
  else {
    apps.forEach((app, i) => {
      const at = `applications[${i}]`;
      if (!isMap(app)) return problems.push(`${at}: expected a mapping`);
      str(app.name, `${at}.name`, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
      str(app.namespace, `${at}.namespace`, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
      if (app.deployment !== undefined) str(app.deployment, `${at}.deployment`, /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
      str(app.settings_hash, `${at}.settings_hash`, /^[0-9a-f]{64}$/);
      // The manifests of the workloads stack, which the role reads back and compares.
      const object = (m: unknown, path: string, apiVersion: RegExp, kind: string, name: string) => {
        if (!isMap(m)) return problems.push(`${path}: expected a mapping (a Kubernetes object)`);
        str(m.apiVersion, `${path}.apiVersion`, apiVersion);
        if (m.kind !== kind) problems.push(`${path}.kind: expected ${kind}`);
        const meta = m.metadata;
        if (!isMap(meta)) return problems.push(`${path}.metadata: expected a mapping`);
        if (meta.name !== `${app.name}-${name}`) problems.push(`${path}.metadata.name: expected ${app.name}-${name}`);
        if (meta.namespace !== app.namespace) problems.push(`${path}.metadata.namespace: expected ${String(app.namespace)}`);
        const owner = {
          "app.kubernetes.io/managed-by": "shipyard",
          "shipyard.io/component": "app-config",
          "app.kubernetes.io/name": app.name,
          "shipyard.io/environment": vars.shipyard_env,
        };
        if (!isMap(meta.labels)) return problems.push(`${path}.metadata.labels: expected a mapping`);
        for (const [k, v] of Object.entries(owner)) {
          if (meta.labels[k] !== v)
            problems.push(`${path}.metadata.labels.${k}: expected ${String(v)} (the objects Terraform applies carry it)`);
        }
        const extra = Object.keys(m).filter((k) => !["apiVersion", "kind", "metadata", "data", "spec"].includes(k));
        if (extra.length > 0) problems.push(`${path}: unexpected keys ${extra.join(", ")}`);
        return undefined;
      };
      object(app.configmap, `${at}.configmap`, /^v1$/, "ConfigMap", "config");
      if (isMap(app.configmap)) {
        const data = app.configmap.data;
        if (!isMap(data)) problems.push(`${at}.configmap.data: expected a mapping`);
        else
          for (const [k, v] of Object.entries(data))
            if (typeof v !== "string") problems.push(`${at}.configmap.data.${k}: expected a string`);
      }
      if (app.external_secret !== undefined) {
        object(app.external_secret, `${at}.external_secret`, /^external-secrets\.io\/v1(beta1)?$/, "ExternalSecret", "secrets");
        const spec = isMap(app.external_secret) ? app.external_secret.spec : undefined;
        if (!isMap(spec)) problems.push(`${at}.external_secret.spec: expected a mapping`);
        else if (!Array.isArray(spec.data) || spec.data.length === 0)
          problems.push(`${at}.external_secret.spec.data: expected a non-empty list`);
      }
      for (const old of ["config", "secrets"]) {
        if (old in app) problems.push(`${at}.${old}: no longer read (the role audits configmap and external_secret)`);
      }
    });
  }

  const monitoring = vars.monitoring;
  if (!isMap(monitoring)) problems.push("monitoring: expected a mapping");
  else {
    str(monitoring.namespace, "monitoring.namespace");
    str(monitoring.prometheus_url, "monitoring.prometheus_url", /^https?:\/\//);
    str(monitoring.grafana_url, "monitoring.grafana_url", /^https?:\/\//);
  }
  // Ansible templates every string of its variables: a value with Jinja delimiters would be evaluated.
  const walk = (v: unknown, path: string) => {
    if (typeof v === "string" && /\{\{|\{%|\{#/.test(v)) problems.push(`${path}: contains Jinja delimiters ({{, {% or {#)`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (isMap(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(vars, "");
  return problems;
}
