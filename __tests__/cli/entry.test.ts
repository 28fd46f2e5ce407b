import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pathWithoutTerraform } from "../support/cli";
import { ROOT } from "../support/environments";

describe("./shipyard, the README's command", () => {
  it("starts the CLI directly (no npx), from the project folder", () => {
    const result = spawnSync(path.join(ROOT, "shipyard"), ["validate", "--env", "dev"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: pathWithoutTerraform(), HOME: ROOT, NO_COLOR: "1" },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain("environments/dev.yaml");
  });

  it("synthesizes every environment on local state, as the README's first command does", { timeout: 120_000 }, () => {
    const out = `.readme-synth-${process.pid}`;
    try {
      const result = spawnSync(path.join(ROOT, "shipyard"), ["synth", "--local-state", "--out", out], {
        cwd: ROOT,
        encoding: "utf8",
        env: { PATH: pathWithoutTerraform(), HOME: ROOT, NO_COLOR: "1" },
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/synthesized 24 stacks of dev, prod, staging, tools into \.readme-synth-\d+\/ \(local state\)/);
    } finally {
      rmSync(path.join(ROOT, out), { recursive: true, force: true });
    }
  });

  it("is what the README's opening lines run", () => {
    const opening = readFileSync(path.join(ROOT, "README.md"), "utf8").split("```")[1]!;
    expect(opening).toContain("npm ci && ./shipyard synth --local-state");
    expect(opening).not.toContain("npx shipyard");
  });
});
