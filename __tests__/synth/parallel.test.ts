import { readFileSync, readdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PARALLEL_MIN_ENVIRONMENTS, shares, workerCount } from "../../src/synth/parallel";
import { scratchDir, shipyardAsync } from "../support/cli";
import { ROOT } from "../support/environments";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(path.join(ROOT, d), { recursive: true, force: true })));

function files(dir: string, rel = ""): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)],
  );
}

describe("environments synthesized in several processes", () => {
  it("are shared out in order, in nearly equal contiguous shares", () => {
    expect(shares(["a", "b", "c", "d", "e"], 2)).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
    expect(shares(["a", "b"], 3)).toEqual([["a"], ["b"]]);
    expect(shares([], 2)).toEqual([]);
  });

  it("use one process below the threshold, and as many as SHIPYARD_SYNTH_WORKERS asks (1 turns it off)", () => {
    expect(workerCount(PARALLEL_MIN_ENVIRONMENTS - 1, {})).toBe(1);
    expect(workerCount(PARALLEL_MIN_ENVIRONMENTS, {})).toBeGreaterThanOrEqual(1);
    expect(workerCount(3, { SHIPYARD_SYNTH_WORKERS: "2" })).toBe(2);
    expect(workerCount(3, { SHIPYARD_SYNTH_WORKERS: "8" })).toBe(3);
    expect(workerCount(60, { SHIPYARD_SYNTH_WORKERS: "1" })).toBe(1);
  });

  it("write byte for byte what one process writes", async () => {
    const one = scratchDir("synth-one-process");
    const three = scratchDir("synth-three-processes");
    dirs.push(one, three);
    const [a, b] = await Promise.all([
      shipyardAsync(["synth", "--out", one], { env: { SHIPYARD_SYNTH_WORKERS: "1" } }),
      shipyardAsync(["synth", "--out", three], { env: { SHIPYARD_SYNTH_WORKERS: "3" } }),
    ]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const list = files(path.join(ROOT, one)).sort();
    expect(list).toContain("manifest.json");
    expect(files(path.join(ROOT, three)).sort()).toEqual(list);
    for (const file of list) {
      expect(readFileSync(path.join(ROOT, three, file), "utf8"), file).toBe(readFileSync(path.join(ROOT, one, file), "utf8"));
    }
  }, 120_000);
});
