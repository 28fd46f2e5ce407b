import { describe, expect, it } from "vitest";
import { renderSnapshot } from "../../src/snapshot/snapshot";
import type { Generator } from "../../src/generate";
import { loadFixture } from "../support/environments";

const writing = (owns: string[], file: string): Generator => ({ name: "test", owns, generate: () => ({ [file]: "x\n" }) });

describe("renderSnapshot", () => {
  const envs = [loadFixture("dev")];

  it("holds every stack's Terraform JSON beside the generators' files", () => {
    const files = renderSnapshot(envs, [writing(["notes"], "notes/dev.txt")]);
    expect([...files.keys()]).toEqual([
      "notes/dev.txt",
      ...["bootstrap", "cluster", "foundation", "network", "platform", "workloads"].map((l) => `terraform/dev-${l}.tf.json`),
    ]);
  });

  it("refuses a generator that writes outside its folders or over another file", () => {
    expect(() => renderSnapshot(envs, [writing(["notes"], "schema/x.json")])).toThrow(/writes schema\/x.json, outside its folders/);
    expect(() => renderSnapshot(envs, [writing(["terraform"], "terraform/dev-network.tf.json")])).toThrow(/over another's file/);
  });
});
