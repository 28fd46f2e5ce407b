import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadEnvironments } from "../../src/config";
import { compareSnapshots, readSnapshot, renderSnapshot } from "../../src/snapshot/snapshot";
import { ROOT } from "../support/environments";

describe("generated/", () => {
  it("matches a fresh synthesis of every environment (run `./shipyard snapshot` when this fails)", { timeout: 120_000 }, () => {
    const fresh = renderSnapshot(loadEnvironments(path.join(ROOT, "environments")));
    const difference = compareSnapshots(readSnapshot(path.join(ROOT, "generated")), fresh);
    expect(difference).toEqual({ added: [], removed: [], changed: [] });
  });

  it("holds each stack's Terraform JSON and the editor JSON Schema", () => {
    const files = [...readSnapshot(path.join(ROOT, "generated")).keys()];
    expect(files).toContain("terraform/prod-cluster.tf.json");
    expect(files).toContain("schema/environment.schema.json");
    expect(files.filter((f) => f.startsWith("terraform/"))).toHaveLength(24);
  });
});
