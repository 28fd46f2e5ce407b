import { DNS_LABEL, ShipyardValidationError } from "../core";

/** `KubePodCrashLooping` → `kube-pod-crash-looping`, `SLOAvailabilityFastBurn` → `slo-availability-fast-burn`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

/** `<base>/<alert-name-kebab>`, without a doubled slash. */
export function runbookUrl(base: string, alert: string): string {
  return `${base.replace(/\/+$/, "")}/${kebabCase(alert)}`;
}

/** A PromQL string literal: double quotes, backslashes and quotes escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Escapes a literal for use inside a PromQL regular expression matcher (RE2, fully anchored). */
export function regexEscape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `{a="x",b=~"y"}` from matcher fragments; empty fragments are dropped; `""` when none are left. */
export function selector(...matchers: (string | undefined)[]): string {
  const kept = matchers.filter((m): m is string => m !== undefined && m !== "");
  return kept.length === 0 ? "" : `{${kept.join(",")}}`;
}

export function eq(label: string, value: string): string {
  return `${label}=${quote(value)}`;
}

/** `namespace=~"a|b"` for a list of literal values. */
export function oneOf(label: string, values: readonly string[]): string {
  return `${label}=~${quote(values.map(regexEscape).join("|"))}`;
}

export function noneOf(label: string, values: readonly string[]): string {
  return `${label}!~${quote(values.map(regexEscape).join("|"))}`;
}

/**
 * A number as PromQL and humans write it: no float noise (`1 - 0.999` is printed `0.001`), no
 * exponent for the magnitudes SLOs use.
 */
export function num(value: number): string {
  const rounded = Number(value.toPrecision(12));
  return String(rounded);
}

/** Error budget as a ratio from an objective in percent: 99.9 → 0.001. */
export function budgetRatio(objectivePercent: number): number {
  return Number(((100 - objectivePercent) / 100).toPrecision(12));
}

/** Prometheus label names and alert-safe identifiers. */

export function requireDnsLabel(path: string, value: string): void {
  if (!DNS_LABEL.test(value)) {
    throw new ShipyardValidationError(
      path,
      `"${value}" is not a DNS label (expected lower-case letters, digits and dashes, e.g. payments)`,
    );
  }
}

export function requireUrl(path: string, value: string): void {
  let ok = false;
  try {
    const url = new URL(value);
    ok = url.protocol === "https:" || url.protocol === "http:";
  } catch {
    ok = false;
  }
  if (!ok) throw new ShipyardValidationError(path, `"${value}" is not an http(s) URL (expected e.g. https://runbooks.example.com)`);
}

/** A Prometheus duration such as `5m`, `1h`, `3d`. */
export function requireDuration(path: string, value: string): void {
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(value)) {
    throw new ShipyardValidationError(path, `"${value}" is not a Prometheus duration (expected e.g. 30s, 5m, 4h)`);
  }
}
