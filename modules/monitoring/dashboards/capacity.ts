import { DashboardBuilder, type Dashboard } from "./builder";

/**
 * kube-state-metrics labels of `kube_node_labels` the capacity dashboards group by. kube-state-metrics
 * exports node labels only when allowed: set kube-prometheus-stack's
 * `kube-state-metrics.metricLabelsAllowlist` to {@link KUBE_STATE_METRICS_LABELS_ALLOWLIST}.
 */
export const NODEGROUP_LABEL = "label_eks_amazonaws_com_nodegroup";
export const CAPACITY_TYPE_LABEL = "label_eks_amazonaws_com_capacity_type";
export const KUBE_STATE_METRICS_LABELS_ALLOWLIST: readonly string[] = Object.freeze([
  "nodes=[eks.amazonaws.com/nodegroup,eks.amazonaws.com/capacityType]",
]);

const KSM = 'job="kube-state-metrics",cluster="$cluster"';
const CADVISOR = 'job="kubelet",metrics_path="/metrics/cadvisor",cluster="$cluster",container!=""';
const NODES = `max by (node, ${NODEGROUP_LABEL}) (kube_node_labels{cluster="$cluster",${NODEGROUP_LABEL}=~"$nodegroup"})`;
/** Attaches the node group to a per-node vector. */
const perGroup = (perNode: string) => `sum by (${NODEGROUP_LABEL}) (${perNode} * on (node) group_left (${NODEGROUP_LABEL}) ${NODES})`;
const ACTIVE_PODS = `max by (namespace, pod) (kube_pod_status_phase{${KSM},phase=~"Pending|Running"} == 1)`;
const requestsPerNode = (resource: string) =>
  `sum by (node) (kube_pod_container_resource_requests{${KSM},resource="${resource}"} * on (namespace, pod) group_left () ${ACTIVE_PODS})`;
const allocatablePerNode = (resource: string) => `sum by (node) (kube_node_status_allocatable{${KSM},resource="${resource}"})`;

export interface CapacityDashboardProps {
  /** @default "shipyard-capacity" */
  readonly uid?: string;
}

/**
 * Capacity planning: CPU and memory requests and usage against allocatable per node group, headroom,
 * node and pod counts, spot against on-demand share, pending pods. Variables: datasource, cluster,
 * nodegroup, namespace.
 */
export function capacityDashboard(props: CapacityDashboardProps = {}): Dashboard {
  const g = `{{${NODEGROUP_LABEL}}}`;
  const b = new DashboardBuilder({
    uid: props.uid ?? "shipyard-capacity",
    title: "Shipyard / Cluster capacity",
    description: "Requests and usage against allocatable per node group, headroom, node and pod counts, spot share.",
    tags: ["shipyard", "capacity", "kubernetes"],
    from: "now-7d",
  })
    .variable({ name: "cluster", label: "Cluster", query: "label_values(up, cluster)" })
    .variable({
      name: "nodegroup",
      label: "Node group",
      query: `label_values(kube_node_labels{cluster="$cluster"}, ${NODEGROUP_LABEL})`,
      multi: true,
      includeAll: true,
    })
    .variable({
      name: "namespace",
      label: "Namespace",
      query: `label_values(kube_pod_info{cluster="$cluster"}, namespace)`,
      multi: true,
      includeAll: true,
    });

  b.row("Cluster")
    .gauge({
      title: "CPU requested",
      description: "CPU requests of pending and running pods over allocatable CPU, selected node groups.",
      unit: "percentunit",
      min: 0,
      max: 1,
      thresholds: [
        [0.75, "yellow"],
        [0.9, "red"],
      ],
      queries: [{ expr: `sum(${perGroup(requestsPerNode("cpu"))}) / sum(${perGroup(allocatablePerNode("cpu"))})`, legend: "requested" }],
      width: 4,
    })
    .gauge({
      title: "Memory requested",
      description: "Memory requests of pending and running pods over allocatable memory, selected node groups.",
      unit: "percentunit",
      min: 0,
      max: 1,
      thresholds: [
        [0.75, "yellow"],
        [0.9, "red"],
      ],
      queries: [
        { expr: `sum(${perGroup(requestsPerNode("memory"))}) / sum(${perGroup(allocatablePerNode("memory"))})`, legend: "requested" },
      ],
      width: 4,
    })
    .stat({
      title: "Nodes",
      description: "Nodes in the selected node groups.",
      queries: [{ expr: `count(${NODES})`, legend: "nodes" }],
      width: 4,
      height: 6,
    })
    .stat({
      title: "Running pods",
      description: "Pods in phase Running, cluster-wide.",
      queries: [{ expr: `sum(kube_pod_status_phase{${KSM},phase="Running"})`, legend: "running" }],
      width: 4,
      height: 6,
    })
    .stat({
      title: "Spot share of CPU",
      description: "Share of allocatable CPU on spot nodes (label eks.amazonaws.com/capacityType).",
      unit: "percentunit",
      queries: [
        {
          expr: `sum(${allocatablePerNode("cpu")} * on (node) group_left () max by (node) (kube_node_labels{cluster="$cluster",${CAPACITY_TYPE_LABEL}="SPOT"})) / sum(${allocatablePerNode("cpu")})`,
          legend: "spot",
        },
      ],
      width: 4,
      height: 6,
    })
    .stat({
      title: "Pending / unschedulable pods",
      description: "Pods waiting for a node; unschedulable ones wait for the cluster-autoscaler.",
      thresholds: [[1, "orange"]],
      queries: [
        { expr: `sum(kube_pod_status_phase{${KSM},phase="Pending"})`, legend: "pending" },
        { expr: `sum(kube_pod_status_unschedulable{${KSM}})`, legend: "unschedulable" },
      ],
      width: 4,
      height: 6,
    });

  b.row("Per node group");
  for (const [resource, unit, usage] of [
    ["cpu", "cores", `sum by (node) (rate(container_cpu_usage_seconds_total{${CADVISOR}}[$__rate_interval]))`],
    ["memory", "bytes", `sum by (node) (container_memory_working_set_bytes{${CADVISOR}})`],
  ] as const) {
    const title = resource === "cpu" ? "CPU" : "Memory";
    b.timeseries({
      title: `${title}: requests, usage and allocatable`,
      description: `${title} requested by pending and running pods, used by containers (cAdvisor), and allocatable, per node group.`,
      unit,
      queries: [
        { expr: perGroup(requestsPerNode(resource)), legend: `${g} requests` },
        { expr: perGroup(usage), legend: `${g} usage` },
        { expr: perGroup(allocatablePerNode(resource)), legend: `${g} allocatable` },
      ],
    }).timeseries({
      title: `${title} headroom`,
      description: `Allocatable minus requests per node group: what can still be scheduled without a new node.`,
      unit,
      queries: [{ expr: `${perGroup(allocatablePerNode(resource))} - ${perGroup(requestsPerNode(resource))}`, legend: g }],
    });
  }
  b.timeseries({
    title: "Nodes per node group",
    description: "Node count per managed node group.",
    stacked: true,
    queries: [{ expr: `count by (${NODEGROUP_LABEL}) (${NODES})`, legend: g }],
    width: 8,
  })
    .timeseries({
      title: "Nodes by capacity type",
      description: "Spot against on-demand nodes.",
      stacked: true,
      queries: [
        {
          expr: `count by (${CAPACITY_TYPE_LABEL}) (max by (node, ${CAPACITY_TYPE_LABEL}) (kube_node_labels{cluster="$cluster",${NODEGROUP_LABEL}=~"$nodegroup"}))`,
          legend: `{{${CAPACITY_TYPE_LABEL}}}`,
        },
      ],
      width: 8,
    })
    .timeseries({
      title: "Pods against pod capacity",
      description: "Running pods and allocatable pod slots (bounded by the VPC CNI's IPs per node), per node group.",
      queries: [
        {
          expr: perGroup(
            `sum by (node) (kube_pod_info{${KSM},node!=""} * on (namespace, pod) group_left () max by (namespace, pod) (kube_pod_status_phase{${KSM},phase="Running"} == 1))`,
          ),
          legend: `${g} pods`,
        },
        { expr: perGroup(allocatablePerNode("pods")), legend: `${g} capacity` },
      ],
      width: 8,
    });

  b.row("Per namespace")
    .timeseries({
      title: "CPU requests by namespace",
      description: "CPU requested by pending and running pods per namespace.",
      unit: "cores",
      stacked: true,
      queries: [
        {
          expr: `sum by (namespace) (kube_pod_container_resource_requests{${KSM},namespace=~"$namespace",resource="cpu"} * on (namespace, pod) group_left () ${ACTIVE_PODS})`,
          legend: "{{namespace}}",
        },
      ],
    })
    .timeseries({
      title: "Memory requests by namespace",
      description: "Memory requested by pending and running pods per namespace.",
      unit: "bytes",
      stacked: true,
      queries: [
        {
          expr: `sum by (namespace) (kube_pod_container_resource_requests{${KSM},namespace=~"$namespace",resource="memory"} * on (namespace, pod) group_left () ${ACTIVE_PODS})`,
          legend: "{{namespace}}",
        },
      ],
    });
  return b.build();
}
