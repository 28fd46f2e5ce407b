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
      if (app.config !== undefined) scalarMap(app.config, `${at}.config`);
      if (app.secrets !== undefined) {
        if (!Array.isArray(app.secrets)) problems.push(`${at}.secrets: expected a list`);
        else {
          app.secrets.forEach((s, j) => {
            const sat = `${at}.secrets[${j}]`;
            if (!isMap(s)) return problems.push(`${sat}: expected a mapping`);
            str(s.name, `${sat}.name`);
            str(s.remote_key, `${sat}.remote_key`);
            if (s.properties !== undefined && !(Array.isArray(s.properties) && s.properties.every((p) => typeof p === "string"))) {
              problems.push(`${sat}.properties: expected a list of strings`);
            }
          });
        }
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
