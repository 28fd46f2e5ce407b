import * as path from "node:path";
import { GENERATED_DIR, compareSnapshots, readSnapshot, renderSnapshot, type SnapshotFiles } from "../../snapshot/snapshot";
import { belongsTo } from "../../review/review";
import { writeSnapshot } from "../../snapshot/write";
import { checkpoint } from "../cleanup";
import { info, loadSelected, paint, projectRoot, type CommonOptions } from "../context";

export interface SnapshotOptions extends CommonOptions {
  check?: boolean;
}

export { belongsTo };

export async function runSnapshot(options: SnapshotOptions): Promise<number> {
  const dir = path.join(projectRoot(), GENERATED_DIR);
  const envs = loadSelected(options);
  const onDisk = readSnapshot(dir);
  let fresh: SnapshotFiles = renderSnapshot(envs);
  if (options.env.length > 0) {
    // Keep what belongs to the environments not selected, so `--env dev` touches only dev's files.
    const names = envs.map((e) => e.name);
    const kept = [...onDisk].filter(([file]) => !fresh.has(file) && !names.some((n) => belongsTo(file, n)));
    fresh = new Map([...fresh, ...kept].sort(([a], [b]) => a.localeCompare(b)));
  }
  const difference = compareSnapshots(onDisk, fresh);
  const stale = difference.added.length + difference.removed.length + difference.changed.length;
  if (options.check) {
    if (stale === 0) {
      info(`${paint("fresh", "green")} ${GENERATED_DIR}/ matches a fresh synthesis (${fresh.size} files)`);
      return 0;
    }
    info(`${paint("stale", "red")} ${GENERATED_DIR}/ differs from a fresh synthesis; run \`./shipyard snapshot\``);
    for (const f of difference.added) info(`  missing  ${f}`);
    for (const f of difference.removed) info(`  extra    ${f}`);
    for (const f of difference.changed) info(`  changed  ${f}`);
    return 1;
  }
  await checkpoint();
  writeSnapshot(dir, fresh);
  info(
    `${paint("wrote", "green")} ${GENERATED_DIR}/: ${fresh.size} files (${difference.added.length} added, ${difference.changed.length} changed, ${difference.removed.length} removed)`,
  );
  return 0;
}
