import { stringify } from "yaml";
import type { NodeSettings } from "./props";

export interface UserDataProps {
  /** Name of the cluster the node joins. */
  readonly clusterName: string;
  /** API server endpoint of the cluster (https URL). */
  readonly clusterEndpoint: string;
  /** Certificate authority data of the cluster, as EKS returns it (base64). */
  readonly clusterCertificateAuthority: string;
  /** Service CIDR of the cluster. */
  readonly serviceCidr: string;
  /** Kubelet and kernel settings. */
  readonly nodeSettings: NodeSettings;
}

/** MIME boundary of the user data; fixed, so the output is deterministic. */
export const USER_DATA_BOUNDARY = "//SHIPYARD-NODE//";
export const SYSCTL_FILE = "/etc/sysctl.d/90-shipyard.conf";

/** nodeadm's `NodeConfig` (node.eks.aws/v1alpha1) for the settings: cluster coordinates and kubelet config. */
export function nodeConfig(props: UserDataProps): Record<string, unknown> {
  const s = props.nodeSettings;
  const kubeletConfig: Record<string, unknown> = {
    ...(s.maxPods !== undefined ? { maxPods: s.maxPods } : {}),
    systemReserved: { cpu: s.systemReserved.cpu, memory: s.systemReserved.memory },
    kubeReserved: { cpu: s.kubeReserved.cpu, memory: s.kubeReserved.memory },
    evictionHard: sortKeys(s.evictionHard),
  };
  return {
    apiVersion: "node.eks.aws/v1alpha1",
    kind: "NodeConfig",
    spec: {
      cluster: {
        name: props.clusterName,
        apiServerEndpoint: props.clusterEndpoint,
        certificateAuthority: props.clusterCertificateAuthority,
        cidr: props.serviceCidr,
      },
      // Labels and taints are set through the managed node group, not kubelet flags.
      kubelet: { config: kubeletConfig },
    },
  };
}

/** The sysctl.d file content, keys sorted. */
export function sysctlConf(sysctls: Readonly<Record<string, string | number>>): string {
  return Object.keys(sysctls)
    .sort()
    .map((key) => `${key} = ${sysctls[key]}`)
    .join("\n");
}

/**
 * The node's user data as MIME multi-part (what EKS managed node groups require on a launch template):
 * a NodeConfig part for nodeadm, then, when sysctls are set, a shell part that writes them to
 * `/etc/sysctl.d/` and applies them (nodeadm has no sysctl field). EKS appends its own NodeConfig part.
 */
export function renderUserData(props: UserDataProps): string {
  const parts: { contentType: string; body: string }[] = [
    { contentType: "application/node.eks.aws", body: `---\n${stringify(nodeConfig(props), { lineWidth: 0 })}` },
  ];
  const sysctls = props.nodeSettings.sysctls ?? {};
  if (Object.keys(sysctls).length > 0) {
    parts.push({
      contentType: 'text/x-shellscript; charset="us-ascii"',
      body: [
        "#!/bin/bash",
        "set -euo pipefail",
        `cat > ${SYSCTL_FILE} <<'SHIPYARD_SYSCTL'`,
        sysctlConf(sysctls),
        "SHIPYARD_SYSCTL",
        `sysctl --load=${SYSCTL_FILE}`,
        "",
      ].join("\n"),
    });
  }
  const lines = ["MIME-Version: 1.0", `Content-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"`, ""];
  for (const part of parts) {
    lines.push(`--${USER_DATA_BOUNDARY}`, `Content-Type: ${part.contentType}`, "", part.body.trimEnd(), "");
  }
  lines.push(`--${USER_DATA_BOUNDARY}--`, "");
  return lines.join("\n");
}

function sortKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]!]),
  );
}
