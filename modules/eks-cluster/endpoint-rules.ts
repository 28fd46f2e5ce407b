/**
 * The rules of the API server's public endpoint, defined once: the config rules (src/config) report them at
 * the environment file's keys, the EksCluster module refuses its props with them. No imports, so the config
 * loader can use them without loading CDKTF.
 */

/** One broken rule: the key under `endpoint` (e.g. `["publicCidrs", 0]`) and what is wrong. */
export interface EndpointIssue {
  readonly key: readonly [string] | readonly [string, number];
  readonly problem: string;
}

/**
 * A public endpoint needs the networks allowed to reach it, a private-only one none, and no network may be
 * every address (`/0`). A Terraform token never ends in `/0`, so unresolved values pass.
 */
export function publicEndpointIssues(endpoint: { readonly public?: boolean; readonly publicCidrs?: readonly string[] }): EndpointIssue[] {
  const cidrs = endpoint.publicCidrs ?? [];
  const issues: EndpointIssue[] = [];
  cidrs.forEach((cidr, i) => {
    if (/\/0+$/.test(cidr.trim())) {
      issues.push({ key: ["publicCidrs", i], problem: `${cidr} opens the API server to the whole internet (expected specific networks)` });
    }
  });
  if (endpoint.public && cidrs.length === 0) {
    issues.push({ key: ["publicCidrs"], problem: "a public endpoint needs the networks allowed to reach it (expected at least one CIDR)" });
  }
  if (!endpoint.public && cidrs.length > 0) {
    issues.push({ key: ["publicCidrs"], problem: "is set but the public endpoint is off (expected an empty list)" });
  }
  return issues;
}
