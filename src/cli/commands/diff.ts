import { ConfigError, ENVIRONMENTS_DIR, listEnvironments } from "../../config";
import { baselineSnapshot } from "../../review/baseline";
import { formatDiff, hasChanges, type DiffFormat } from "../../review/format";
import { review } from "../../review/review";
import { renderSnapshot } from "../../snapshot/snapshot";
import { loadSelected, projectRoot, type CommonOptions } from "../context";

export interface DiffOptions extends CommonOptions {
  against: string;
  format: string;
  exitCode?: boolean;
}

export const DIFF_FORMATS: readonly DiffFormat[] = ["text", "markdown", "json"];

export function checkFormat<T extends string>(format: string, formats: readonly T[]): T {
  if (!formats.includes(format as T))
    throw ConfigError.single("shipyard", `got "${format}" (expected one of: ${formats.join(", ")})`, "--format");
  return format as T;
}

export function runDiff(options: DiffOptions): number {
  const format = checkFormat(options.format, DIFF_FORMATS);
  const root = projectRoot();
  const envs = loadSelected(options);
  if (envs.length === 0) {
    process.stdout.write(formatDiff({ against: options.against, stacks: [], artifacts: [] }, format));
    return 0;
  }
  const before = baselineSnapshot(root, options.against);
  const after = renderSnapshot(envs);
  const known = [...new Set([...listEnvironments(ENVIRONMENTS_DIR), ...envs.map((e) => e.name)])];
  const result = review(
    options.against,
    before,
    after,
    envs.map((e) => e.name),
    known,
  );
  process.stdout.write(formatDiff(result, format));
  return options.exitCode && hasChanges(result) ? 1 : 0;
}
