import { parse as parseYaml } from "yaml";
import { valueChanges, type AttributeChange, type ChangeKind } from "./compare";

/** A generated file other than Terraform (rules, dashboards, Ansible variables, JSON Schema) that changed. */
export interface ArtifactChange {
  /** Path relative to `generated/`, e.g. `monitoring/prod/rules/slo.yaml`. */
  readonly file: string;
  readonly kind: ChangeKind;
  /** Key-by-key changes of a JSON or YAML file (at most {@link MAX_ARTIFACT_CHANGES}); lines for other text. */
  readonly changes: readonly AttributeChange[];
  /** Changes left out beyond the first {@link MAX_ARTIFACT_CHANGES}. */
  readonly more: number;
}

export const MAX_ARTIFACT_CHANGES = 40;

/** Compares the non-Terraform files of two snapshots (paths relative to `generated/`). */
export function compareArtifacts(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ArtifactChange[] {
  const files = [...new Set([...before.keys(), ...after.keys()])].filter((f) => !f.startsWith("terraform/")).sort();
  const result: ArtifactChange[] = [];
  for (const file of files) {
    const a = before.get(file);
    const b = after.get(file);
    if (a === b) continue;
    if (a === undefined || b === undefined) {
      result.push({ file, kind: a === undefined ? "added" : "removed", changes: [], more: 0 });
      continue;
    }
    const all = contentChanges(file, a, b);
    if (all.length === 0) continue; // only formatting differs
    result.push({
      file,
      kind: "changed",
      changes: all.slice(0, MAX_ARTIFACT_CHANGES),
      more: Math.max(0, all.length - MAX_ARTIFACT_CHANGES),
    });
  }
  return result;
}

function contentChanges(file: string, a: string, b: string): AttributeChange[] {
  const parse = file.endsWith(".json")
    ? (t: string) => JSON.parse(t) as unknown
    : /\.ya?ml$/.test(file)
      ? (t: string) => parseYaml(t) as unknown
      : undefined;
  if (parse) {
    try {
      return valueChanges(parse(a), parse(b), "");
    } catch {
      // not parseable: compare lines below
    }
  }
  const old = a.split("\n");
  const current = b.split("\n");
  const changes: AttributeChange[] = [];
  for (let i = 0; i < Math.max(old.length, current.length); i++) {
    if (old[i] !== current[i]) changes.push({ path: `line ${i + 1}`, before: old[i], after: current[i] });
  }
  return changes;
}
