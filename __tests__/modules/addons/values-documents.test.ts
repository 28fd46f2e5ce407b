import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { holdsToken, valuesDocuments } from "../../../modules/addons/release";
import { mergedValues } from "./helpers";

/** A reference to another resource's attribute, as a cross-stack ARN is before synthesis. */
function reference(): string {
  return new TerraformVariable(new TerraformStack(Testing.app(), "s"), "arn", { type: "string" }).stringValue;
}

describe("Helm values documents", () => {
  const arn = reference();

  it("is one document when no value is a Terraform token", () => {
    const docs = valuesDocuments({ a: { b: 1, c: [1, 2] }, everywhere: {} });
    expect(docs).toHaveLength(1);
    expect(JSON.parse(docs[0]!)).toEqual({ a: { b: 1, c: [1, 2] }, everywhere: {} });
  });

  it("keeps every token out of the first document and puts the references, at their key paths, in a second", () => {
    const values = {
      rules: { groups: [{ name: "slo", rules: [{ record: "x", expr: "up" }] }] },
      serviceAccount: { create: true, annotations: { "eks.amazonaws.com/role-arn": arn } },
      selector: {},
    };
    const [literal, references, ...rest] = valuesDocuments(values);
    expect(rest).toEqual([]);
    expect(holdsToken(literal)).toBe(false);
    expect(JSON.parse(literal!)).toEqual({ rules: values.rules, serviceAccount: { create: true }, selector: {} });
    expect(JSON.parse(references!)).toEqual({ serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": arn } } });
    // Helm merges the documents in order: the release sees the values it was given.
    expect(mergedValues([literal!, references!])).toEqual(values);
  });

  it("moves an array that holds a token whole (Helm replaces arrays instead of merging them)", () => {
    const values = {
      configuration: { backupStorageLocation: [{ name: "default", bucket: arn }], volumeSnapshotLocation: [{ name: "default" }] },
    };
    const [literal, references] = valuesDocuments(values);
    expect(JSON.parse(literal!)).toEqual({ configuration: { volumeSnapshotLocation: [{ name: "default" }] } });
    expect(JSON.parse(references!)).toEqual({ configuration: { backupStorageLocation: [{ name: "default", bucket: arn }] } });
    expect(mergedValues([literal!, references!])).toEqual(values);
  });

  it("is the references document alone when every value holds a token (no empty document)", () => {
    const docs = valuesDocuments({ resources: [{ kind: "ExternalSecret", key: arn }] });
    expect(docs).toHaveLength(1);
    expect(JSON.parse(docs[0]!)).toEqual({ resources: [{ kind: "ExternalSecret", key: arn }] });
  });

  it("escapes Terraform template markers in literal values of both documents", () => {
    const [literal, references] = valuesDocuments({ text: "${not_tf} %{x}", list: ["${y}", arn] });
    expect(JSON.parse(literal!).text).toBe("$${not_tf} %%{x}");
    expect(JSON.parse(references!).list).toEqual(["$${y}", arn]);
  });
});
