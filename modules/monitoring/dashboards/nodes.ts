import { DashboardBuilder, type Dashboard } from "./builder";
import { NODEGROUP_LABEL } from "./capacity";

export interface NodesDashboardProps {
  /** @default "shipyard-nodes" */
  readonly uid?: string;
}

/**
 * Per-node health from node-exporter and kube-state-metrics. node-exporter's `instance` is
 * `<host IP>:9100`; the platform relabels its series with `node` = the Kubernetes node name
 * (modules/addons kube-prometheus-stack), the label kube-state-metrics uses, so a node group selects
 * nodes. Every series carries `cluster` from the default scrape class. Variables: datasource,
 * cluster, nodegroup, node.
 */
export function nodesDashboard(props: NodesDashboardProps = {}): Dashboard {
  const f = 'job="node-exporter",cluster="$cluster",node=~"$node"';
  const b = new DashboardBuilder({
    uid: props.uid ?? "shipyard-nodes",
    title: "Shipyard / Nodes",
    description: "CPU, memory, disk and network of worker nodes (node-exporter), and node conditions.",
    tags: ["shipyard", "nodes", "kubernetes"],
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
      name: "node",
      label: "Node",
      query: `label_values(kube_node_labels{cluster="$cluster",${NODEGROUP_LABEL}=~"$nodegroup"}, node)`,
      multi: true,
      includeAll: true,
    });

  b.row("Conditions")
    .stat({
      title: "Nodes not ready",
      description: "Nodes whose Ready condition is not true.",
      thresholds: [[1, "red"]],
      queries: [
        {
          expr: `sum(kube_node_status_condition{job="kube-state-metrics",cluster="$cluster",condition="Ready",status!="true"})`,
          legend: "not ready",
        },
      ],
    })
    .stat({
      title: "Nodes under pressure",
      description: "Nodes reporting memory, disk or PID pressure.",
      thresholds: [[1, "orange"]],
      queries: [
        {
          expr: `sum by (condition) (kube_node_status_condition{job="kube-state-metrics",cluster="$cluster",condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"})`,
          legend: "{{condition}}",
        },
      ],
    })
    .stat({
      title: "Cordoned nodes",
      description: "Nodes marked unschedulable (cordoned, e.g. during a rolling node group update).",
      thresholds: [[1, "yellow"]],
      queries: [{ expr: `sum(kube_node_spec_unschedulable{job="kube-state-metrics",cluster="$cluster"})`, legend: "cordoned" }],
    })
    .stat({
      title: "Nodes",
      description: "Nodes selected.",
      queries: [{ expr: `count(node_uname_info{${f}})`, legend: "nodes" }],
    });

  b.row("Resources")
    .timeseries({
      title: "CPU utilisation",
      description: "Share of CPU time not idle, per node.",
      unit: "percentunit",
      min: 0,
      max: 1,
      queries: [{ expr: `1 - avg by (node) (rate(node_cpu_seconds_total{${f},mode="idle"}[$__rate_interval]))`, legend: "{{node}}" }],
    })
    .timeseries({
      title: "Load per core",
      description: "1-minute load average divided by the number of CPUs.",
      queries: [
        {
          expr: `node_load1{${f}} / on (node) group_left () count by (node) (node_cpu_seconds_total{${f},mode="idle"})`,
          legend: "{{node}}",
        },
      ],
    })
    .timeseries({
      title: "Memory utilisation",
      description: "1 - MemAvailable / MemTotal, per node.",
      unit: "percentunit",
      min: 0,
      max: 1,
      queries: [{ expr: `1 - node_memory_MemAvailable_bytes{${f}} / node_memory_MemTotal_bytes{${f}}`, legend: "{{node}}" }],
    })
    .timeseries({
      title: "Root file system used",
      description: "Share of / used, per node.",
      unit: "percentunit",
      min: 0,
      max: 1,
      thresholds: [[0.9, "red"]],
      queries: [
        {
          expr: `1 - node_filesystem_avail_bytes{${f},mountpoint="/",fstype!=""} / node_filesystem_size_bytes{${f},mountpoint="/",fstype!=""}`,
          legend: "{{node}}",
        },
      ],
    })
    .timeseries({
      title: "Disk busy",
      description: "Share of time the disk was busy with I/O, per node and device.",
      unit: "percentunit",
      queries: [
        { expr: `rate(node_disk_io_time_seconds_total{${f},device=~"nvme.+|xvd.+"}[$__rate_interval])`, legend: "{{node}} {{device}}" },
      ],
    })
    .timeseries({
      title: "Network",
      description: "Bytes received and sent per second, per node; loopback and pod interfaces excluded.",
      unit: "bytes",
      queries: [
        {
          expr: `sum by (node) (rate(node_network_receive_bytes_total{${f},device!~"lo|veth.+|eni.+"}[$__rate_interval]))`,
          legend: "{{node}} received",
        },
        {
          expr: `sum by (node) (rate(node_network_transmit_bytes_total{${f},device!~"lo|veth.+|eni.+"}[$__rate_interval]))`,
          legend: "{{node}} sent",
        },
      ],
    });
  return b.build();
}
