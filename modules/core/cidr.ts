import * as ipaddr from "ipaddr.js";

/**
 * IPv4 network arithmetic shared by the config rules (src/config) and the modules, defined once.
 */

/** An IPv4 network as numbers: the first address and the prefix length. */
export interface Network {
  base: number;
  prefix: number;
}

export function parseNetwork(cidr: string): Network {
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const base = addr.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
  return { base, prefix };
}

export function formatNetwork(network: Network): string {
  const bytes = [24, 16, 8, 0].map((shift) => Math.floor(network.base / 2 ** shift) % 256);
  return `${bytes.join(".")}/${network.prefix}`;
}

function size(network: Network): number {
  return 2 ** (32 - network.prefix);
}

/** Whether `inner` lies entirely inside `outer`. */
export function contains(outer: string, inner: string): boolean {
  const o = parseNetwork(outer);
  const i = parseNetwork(inner);
  return i.prefix >= o.prefix && i.base >= o.base && i.base + size(i) <= o.base + size(o);
}

/** Whether the two networks share an address. */
export function overlaps(a: string, b: string): boolean {
  const x = parseNetwork(a);
  const y = parseNetwork(b);
  return x.base < y.base + size(y) && y.base < x.base + size(x);
}

/** The `index`-th subnet of `newBits` extra prefix bits inside `cidr` (Terraform's `cidrsubnet`). */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const parent = parseNetwork(cidr);
  const child = { base: parent.base + index * 2 ** (32 - parent.prefix - newBits), prefix: parent.prefix + newBits };
  return formatNetwork(child);
}
