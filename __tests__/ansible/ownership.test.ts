import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ANSIBLE_DIR, ENVIRONMENTS } from "./support";
import { REPO_ROOT } from "./chroot";

/**
 * One owner per Kubernetes object: Terraform (the platform and workloads stacks, their Helm releases included)
 * or Ansible, never both. Two writers of one object fight under server-side apply and undo each other.
 */

interface ObjectRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}
const key = (o: ObjectRef) => `${o.kind} ${o.namespace}/${o.name}`;

type Task = Record<string, any>;

/** Every task of every role and playbook, with where it is. */
function ansibleTasks(): { file: string; task: Task }[] {
  const out: { file: string; task: Task }[] = [];
  const walk = (tasks: unknown, file: string) => {
    if (!Array.isArray(tasks)) return;
    for (const t of tasks as Task[]) {
      out.push({ file, task: t });
      for (const nested of ["block", "rescue", "always", "tasks", "pre_tasks", "post_tasks"]) walk(t[nested], file);
    }
  };
  for (const role of readdirSync(join(ANSIBLE_DIR, "roles"))) {
    const dir = join(ANSIBLE_DIR, "roles", role, "tasks");
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".yml")))
      walk(parse(readFileSync(join(dir, f), "utf8")), `roles/${role}/tasks/${f}`);
  }
  for (const f of readdirSync(join(ANSIBLE_DIR, "playbooks")).filter((n) => n.endsWith(".yml"))) {
    walk(parse(readFileSync(join(ANSIBLE_DIR, "playbooks", f), "utf8")), `playbooks/${f}`);
  }
  return out;
}

/** Modules that write to the Kubernetes API (k8s_info, k8s_log … only read). */
const K8S_WRITERS = [
  "kubernetes.core.k8s",
  "kubernetes.core.k8s_scale",
  "kubernetes.core.k8s_rollback",
  "kubernetes.core.k8s_drain",
  "kubernetes.core.helm",
  "kubernetes.core.k8s_json_patch",
];

/** The Kubernetes objects Ansible writes in one environment, from its generated variables. */
function ansibleObjects(env: string): ObjectRef[] {
  const vars = parse(readFileSync(join(REPO_ROOT, "generated", "ansible", `${env}.yml`), "utf8"));
  const defaults = parse(readFileSync(join(ANSIBLE_DIR, "roles", "grafana_dashboards", "defaults", "main.yml"), "utf8"));
  const prefix: string = defaults.grafana_dashboards_name_prefix;
  const dashboards = readdirSync(join(REPO_ROOT, "generated", "dashboards")).filter((f) => f.endsWith(".json"));
  // grafana_dashboards: one ConfigMap per dashboard file, named <prefix><stem> (render.yml).
  return dashboards.map((f) => ({
    kind: "ConfigMap",
    namespace: vars.dashboards.namespace,
    name: `${prefix}${f
      .replace(/\.json$/, "")
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")}`,
  }));
}

/** The Kubernetes objects Terraform applies in one environment: provider resources, manifests and raw Helm releases. */
function terraformObjects(env: string): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const layer of ["platform", "workloads"]) {
    const json = JSON.parse(readFileSync(join(REPO_ROOT, "generated", "terraform", `${env}-${layer}.tf.json`), "utf8"));
    for (const [type, byId] of Object.entries((json.resource ?? {}) as Record<string, Record<string, any>>)) {
      for (const r of Object.values(byId)) {
        if (type === "kubernetes_manifest") {
          out.push({ kind: r.manifest.kind, namespace: r.manifest.metadata.namespace ?? "", name: r.manifest.metadata.name });
        } else if (type === "helm_release" && r.chart === "raw") {
          for (const m of JSON.parse(r.values[0]).resources)
            out.push({ kind: m.kind, namespace: m.metadata.namespace ?? r.namespace, name: m.metadata.name });
        } else if (type.startsWith("kubernetes_") && r.metadata) {
          const kind = type
            .replace(/^kubernetes_/, "")
            .replace(/_v\d+$/, "")
            .split("_")
            .map((w: string) => w[0]!.toUpperCase() + w.slice(1))
            .join("");
          out.push({ kind, namespace: r.metadata.namespace ?? "", name: r.metadata.name });
        }
      }
    }
  }
  return out;
}

describe("one owner per Kubernetes object", () => {
  const writers = ansibleTasks().filter(({ task }) => K8S_WRITERS.some((m) => m in task));

  it("Ansible writes Kubernetes objects only in the grafana_dashboards role (app_config only reads)", () => {
    expect([...new Set(writers.map((w) => w.file.split("/").slice(0, 2).join("/")))]).toEqual(["roles/grafana_dashboards"]);
    for (const { task } of writers) {
      const args = task["kubernetes.core.k8s"];
      // Either an explicit ConfigMap, or the rendered dashboard ConfigMaps.
      expect(args.kind === "ConfigMap" || args.definition === "{{ item }}", JSON.stringify(task)).toBe(true);
    }
  });

  for (const env of ENVIRONMENTS) {
    it(`${env}: no object is applied by both Terraform and Ansible`, () => {
      const terraform = new Set(terraformObjects(env).map(key));
      const ansible = ansibleObjects(env).map(key);
      expect(terraform.size).toBeGreaterThan(10);
      expect(ansible.length).toBeGreaterThan(0);
      expect(ansible.filter((k) => terraform.has(k))).toEqual([]);
      // The application settings objects are Terraform's alone.
      expect([...terraform].filter((k) => /^(ConfigMap|ExternalSecret) .+\/.+-(config|secrets)$/.test(k)).length).toBeGreaterThan(0);
    });
  }

  it("would notice an overlap", () => {
    const terraform = new Set([...terraformObjects("dev"), ...ansibleObjects("dev").slice(0, 1)].map(key));
    expect(
      ansibleObjects("dev")
        .map(key)
        .filter((k) => terraform.has(k)),
    ).toHaveLength(1);
  });
});
