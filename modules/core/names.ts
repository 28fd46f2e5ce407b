/**
 * Naming rules shared by the config schema (src/config) and the modules, defined once.
 *
 * A DNS-1123 label: lower-case letters, digits and '-', 1-63 characters, a letter or digit at both ends.
 * Kubernetes namespaces and most object names (Secrets, StorageClasses, ServiceAccounts) are labels.
 */
export const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A DNS-1035 label: a DNS-1123 label that starts with a letter. Kubernetes Service names must be one, and
 * Shipyard's own names (environments, teams, applications) are, so they also fit AWS resource names.
 */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A short name that is embedded in AWS resource names, whose limits are tight (IAM role names allow 64
 * characters in all): environments, node groups, network peers. A DNS-1035 label of 2-24 characters.
 */
export const SHORT_NAME = /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/;

/**
 * Kubernetes group of a team's editors: the cluster layer puts the team's `editors` principals in it on
 * their access entries, and the team's RoleBindings name it.
 */
export function teamKubernetesGroup(team: string): string {
  return `team-${team}`;
}

/** A Kubernetes label key (also a taint key): an optional DNS prefix and `/`, then 1-63 of letters, digits and `._-`. */
export const LABEL_KEY = /^([a-z0-9.-]+\/)?[A-Za-z0-9._-]{1,63}$/;

/** A fully qualified DNS host name: dot-separated DNS-1123 labels ending in a top-level domain of letters. */
export const DNS_HOST_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;

/**
 * The team that owns the platform: the `team` label of cluster-wide alerts and of namespaced alerts outside
 * every team's namespaces, and the Alertmanager route of its channels. A config team of this name configures it.
 */
export const PLATFORM_TEAM = "platform";
