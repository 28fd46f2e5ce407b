/**
 * Kubernetes resource quantities, parsed just far enough to compare them (requests <= limits,
 * defaults <= maximums). Accepts the forms the config schema accepts plus the common SI suffixes.
 */

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const MEMORY_FACTORS: Record<string, number> = {
  "": 1,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** Millicores of a CPU quantity (`250m` → 250, `2` → 2000), or undefined when it is not one. */
export function cpuMillis(quantity: string): number | undefined {
  const match = CPU.exec(quantity);
  if (!match) return undefined;
  const value = Number(match[1]);
  return match[2] === "m" ? value : value * 1000;
}

/** Bytes of a memory quantity (`256Mi`, `1Gi`, `500M`), or undefined when it is not one. */
export function memoryBytes(quantity: string): number | undefined {
  const match = MEMORY.exec(quantity);
  if (!match) return undefined;
  return Number(match[1]) * MEMORY_FACTORS[match[2] ?? ""]!;
}
