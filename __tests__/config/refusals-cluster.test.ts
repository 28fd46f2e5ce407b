import { describe, expect, it } from "vitest";
import type { Document } from "yaml";
import type { ConfigProblem } from "../../src/config/errors";
import { editDocument, environmentYaml, parse, problemsOf as refusal } from "../support/environments";

const FILE = "environments/prod.yaml";
const PROD = environmentYaml("prod");

/** prod.yaml with one edit applied to its parsed document. */
const prodWith = (edit: (doc: Document) => void): string => editDocument(PROD, edit);
const problemsOf = (text: string): ConfigProblem[] => [...refusal(text).problems];

describe("the unedited prod.yaml", () => {
  it("is accepted", () => {
    expect(() => parse(PROD)).not.toThrow();
  });
});

describe("cluster refusals in prod", () => {
  it("refuses a public endpoint open to 0.0.0.0/0, naming the key and the line", () => {
    const problems = problemsOf(
      prodWith((doc) => {
        doc.setIn(["cluster", "endpoint", "public"], true);
        doc.setIn(["cluster", "endpoint", "publicCidrs"], doc.createNode(["0.0.0.0/0"]));
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: FILE,
          path: "cluster.endpoint.publicCidrs[0]",
          message: expect.stringMatching(/^0\.0\.0\.0\/0 opens the API server to the whole internet \(expected specific networks\)/),
        }),
        expect.objectContaining({
          path: "cluster.endpoint.public",
          message: expect.stringMatching(/^prod keeps the public endpoint off \(expected false, or protection\.waiverReason\)/),
        }),
      ]),
    );
    for (const p of problems) expect(p.line).toBeGreaterThan(0);
  });

  it("refuses 0.0.0.0/0 even with a waiver for the public endpoint", () => {
    const problems = problemsOf(
      prodWith((doc) => {
        doc.setIn(["cluster", "endpoint", "public"], true);
        doc.setIn(["cluster", "endpoint", "publicCidrs"], doc.createNode(["203.0.113.0/24", "0.0.0.0/0"]));
        doc.setIn(["protection", "waiverReason"], "break-glass access during the 2026 migration");
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(["cluster.endpoint.publicCidrs[1]"]);
    expect(problems[0]!.message).toMatch(/opens the API server to the whole internet/);
  });

  it("refuses a public endpoint without allowed networks", () => {
    const problems = problemsOf(prodWith((doc) => doc.setIn(["cluster", "endpoint", "public"], true)));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "cluster.endpoint.publicCidrs",
          message: expect.stringMatching(/^a public endpoint needs the networks allowed to reach it \(expected at least one CIDR\)/),
        }),
      ]),
    );
  });

  it("refuses two availability zones", () => {
    const problems = problemsOf(prodWith((doc) => doc.setIn(["network", "azCount"], 2)));
    expect(problems).toEqual([
      expect.objectContaining({
        file: FILE,
        path: "network.azCount",
        message: expect.stringMatching(/^prod needs at least 3 availability zones, got 2/),
      }),
    ]);
    expect(problems[0]!.line).toBe(PROD.split("\n").findIndex((l) => l.includes("azCount:")) + 1);
  });

  it("refuses a node group without root volume encryption", () => {
    const problems = problemsOf(prodWith((doc) => doc.setIn(["cluster", "nodeGroups", 1, "diskEncrypted"], false)));
    expect(problems).toEqual([
      expect.objectContaining({
        path: "cluster.nodeGroups[1].diskEncrypted",
        message: expect.stringMatching(/^root volumes are always encrypted with the EBS key \(expected true\)/),
      }),
    ]);
  });

  it("refuses a node group with SSH access", () => {
    const problems = problemsOf(prodWith((doc) => doc.setIn(["cluster", "nodeGroups", 0, "sshKeyName"], "ops-key")));
    expect(problems).toEqual([
      expect.objectContaining({
        path: "cluster.nodeGroups[0].sshKeyName",
        message: expect.stringMatching(/^SSH access to nodes is not allowed; use SSM Session Manager \(remove the key\)/),
      }),
    ]);
  });

  it("refuses a spot group with one instance type", () => {
    const problems = problemsOf(
      prodWith((doc) => doc.setIn(["cluster", "nodeGroups", 2, "instanceTypes"], doc.createNode(["m6i.xlarge"]))),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        path: "cluster.nodeGroups[2].instanceTypes",
        message: expect.stringMatching(/^a spot group needs at least 3 instance types to survive interruptions, got 1/),
      }),
    ]);
  });

  it("refuses a spot group of mixed sizes", () => {
    const problems = problemsOf(
      prodWith((doc) =>
        doc.setIn(["cluster", "nodeGroups", 2, "instanceTypes"], doc.createNode(["m6i.xlarge", "m6a.2xlarge", "m7i.xlarge"])),
      ),
    );
    expect(problems.map((p) => p.path)).toEqual(["cluster.nodeGroups[2].instanceTypes"]);
    expect(problems[0]!.message).toMatch(/spot types must be of one size/);
  });

  it("refuses turning off deletion protection and the private endpoint", () => {
    const problems = problemsOf(
      prodWith((doc) => {
        doc.setIn(["cluster", "deletionProtection"], false);
        doc.setIn(["cluster", "endpoint", "private"], false);
      }),
    );
    expect(problems.map((p) => p.path).sort()).toEqual(["cluster.deletionProtection", "cluster.endpoint.private"]);
  });

  it("reports every problem of a file at once, each with a position", () => {
    const problems = problemsOf(
      prodWith((doc) => {
        doc.setIn(["network", "azCount"], 2);
        doc.setIn(["cluster", "nodeGroups", 1, "diskEncrypted"], false);
        doc.setIn(["cluster", "nodeGroups", 0, "sshKeyName"], "ops-key");
      }),
    );
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(["network.azCount", "cluster.nodeGroups[1].diskEncrypted", "cluster.nodeGroups[0].sshKeyName"]),
    );
    for (const p of problems) expect(p.line).toBeGreaterThan(0);
  });
});
