import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError, parseEnvironment } from "../../src/config";
import { editYaml, environmentYaml } from "../support/environments";

/** Every outcome of the loader is a config or a ConfigError: never another exception. */
function outcome(bytes: Uint8Array): "valid" | "refused" {
  try {
    parseEnvironment("environments/prod.yaml", bytes);
    return "valid";
  } catch (error) {
    if (error instanceof ConfigError) {
      expect(error.problems.length).toBeGreaterThan(0);
      for (const p of error.problems) {
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.message.length).toBeGreaterThan(0);
      }
      return "refused";
    }
    throw error;
  }
}

const prod = environmentYaml("prod");
const keyPaths: (string | number)[][] = [
  ["name"],
  ["tier"],
  ["account"],
  ["region"],
  ["tags"],
  ["state"],
  ["state", "backend"],
  ["network"],
  ["network", "cidr"],
  ["network", "azCount"],
  ["network", "privateSubnets"],
  ["cluster", "endpoint", "publicCidrs"],
  ["cluster", "nodeGroups"],
  ["cluster", "nodeGroups", 0],
  ["cluster", "nodeGroups", 2, "instanceTypes"],
  ["cluster", "nodeGroups", 1, "maxSize"],
  ["access", "admins", 0],
  ["teams", 0, "quota"],
  ["applications", 0],
  ["applications", 0, "slo", "availability"],
  ["applications", 0, "ingress"],
  ["secrets", "items"],
  ["monitoring", "alerting"],
  ["protection", "preventDestroy"],
];

describe("the loader never escapes with an uncaught exception", () => {
  it("on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => void outcome(bytes)),
      { numRuns: 300 },
    );
  });

  it("on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => void outcome(Buffer.from(text, "utf8"))),
      { numRuns: 300 },
    );
  });

  it("on arbitrary YAML values", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => void outcome(Buffer.from(stringify(value) ?? "", "utf8"))),
      { numRuns: 200 },
    );
  });

  it("on a real environment with one value replaced by anything", () => {
    fc.assert(
      fc.property(fc.constantFrom(...keyPaths), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        void outcome(Buffer.from(editYaml(prod, { set: path, value }), "utf8"));
      }),
      { numRuns: 300 },
    );
  });

  it("on a real environment cut short at any byte", () => {
    const bytes = Buffer.from(prod, "utf8");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length }), (end) => void outcome(bytes.subarray(0, end))),
      { numRuns: 200 },
    );
  });
});
