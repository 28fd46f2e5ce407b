/**
 * The benchmark's scale series (`npm run bench -- --scale`) runs the CLI in projects it generates. The
 * benchmark is never part of the tests' pass/fail, so this is what keeps its projects ones the CLI accepts:
 * a series that cannot run measures nothing.
 */
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { environmentCopies, withExtraApplications, writeProject } from "../../bench/scale.mjs";
import { shipyardAsync as shipyard } from "../support/cli";
import { ROOT, environmentYaml } from "../support/environments";
import { tempDir } from "../support/temp-dirs";

const T = { timeout: 120_000 };

describe.concurrent("the benchmark's generated projects", () => {
  it("copies of staging are environments the CLI validates together (distinct names and networks)", T, async () => {
    const files = environmentCopies(environmentYaml("staging"), 3);
    expect([...files.keys()]).toEqual(["bench-001.yaml", "bench-002.yaml", "bench-003.yaml"]);
    expect(new Set([...files.values()].map((text) => parse(text).network.cidr)).size).toBe(3);
    const project = writeProject(join(tempDir("shipyard-bench-envs-"), "project"), ROOT, files);
    const result = await shipyard(["validate"], { cwd: project, cli: ROOT });
    expect(result.stderr.trim().split("\n")).toEqual(
      [1, 2, 3].map((i) => `valid environments/bench-00${i}.yaml (staging, eu-west-1, state: cloud)`),
    );
    expect(result.status).toBe(0);
  });

  it("staging with more applications synthesizes with the series' own command", T, async () => {
    const text = withExtraApplications(environmentYaml("staging"), 2);
    const names = parse(text).applications.map((a: { name: string }) => a.name);
    expect(names.slice(-2)).toEqual(["bench-app-001", "bench-app-002"]);
    const project = writeProject(join(tempDir("shipyard-bench-apps-"), "project"), ROOT, [["staging.yaml", text]]);
    const result = await shipyard(["synth", "--local-state", "--out", "out"], { cwd: project, cli: ROOT });
    expect(result.stderr).toMatch(/^synthesized 6 stacks of staging into out\//);
    expect(result.status).toBe(0);
  });
});
