import { readFileSync } from "node:fs";
import * as path from "node:path";

/** A synthesized stack as `manifest.json` describes it. */
export interface ManifestStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  /** Folder Terraform runs in, relative to the output folder (`stacks/<stack>`). */
  readonly workingDirectory: string;
  readonly synthesizedStackPath: string;
}

export type Manifest = ReadonlyMap<string, ManifestStack>;

/** Reads `<outdir>/manifest.json`. */
export function readManifest(outdir: string): Manifest {
  const raw = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, ManifestStack> };
  return new Map(Object.values(raw.stacks).map((s) => [s.name, { ...s, dependencies: [...(s.dependencies ?? [])] }]));
}

/** Every stack that depends on one of `stacks`, directly or not. */
export function dependentsOf(manifest: Manifest, stacks: Iterable<string>): Set<string> {
  const found = new Set<string>();
  const queue = [...stacks];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const s of manifest.values()) {
      if (s.dependencies.includes(current) && !found.has(s.name)) {
        found.add(s.name);
        queue.push(s.name);
      }
    }
  }
  return found;
}

/**
 * The selected stacks in dependency order (a stack after everything it depends on; ties by name, so
 * the order is stable). Dependencies outside the selection are taken as already deployed.
 */
export function dependencyOrder(manifest: Manifest, selected: ReadonlySet<string>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const remaining = new Set(selected);
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter((name) => (manifest.get(name)?.dependencies ?? []).every((d) => done.has(d) || !selected.has(d)))
      .sort();
    if (ready.length === 0) throw new Error(`dependency cycle among ${[...remaining].join(", ")}`);
    for (const name of ready) {
      order.push(name);
      done.add(name);
      remaining.delete(name);
    }
  }
  return order;
}

/** The selected dependencies of a stack, transitively (through unselected stacks too). */
export function selectedDependencies(manifest: Manifest, stack: string, selected: ReadonlySet<string>): string[] {
  const result = new Set<string>();
  const visit = (name: string) => {
    for (const dep of manifest.get(name)?.dependencies ?? []) {
      if (selected.has(dep)) result.add(dep);
      visit(dep);
    }
  };
  visit(stack);
  return [...result];
}
