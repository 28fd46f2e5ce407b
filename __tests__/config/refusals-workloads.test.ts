import { describe, expect, it } from "vitest";
import { formatProblem } from "../../src/config";
import { editYaml, environmentYaml, parse, problemsOf, type Edit } from "../support/environments";

const prod = environmentYaml("prod");
const dev = environmentYaml("dev");
const set = (path: (string | number)[], value: unknown): Edit => ({ set: path, value });
const del = (...path: (string | number)[]): Edit => ({ delete: path });
const FILE = "environments/prod.yaml";

const refusal = (text: string, name: "prod" | "dev" = "prod") => problemsOf(text, name);

/** 1-based line of the first line of `text` that contains `needle` after the line containing `after`. */
function lineOf(text: string, needle: string, after = "applications:"): number {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.includes(after));
  return lines.findIndex((l, i) => i > start && l.includes(needle)) + 1;
}

describe("workload refusals in environment files", () => {
  it("refuses a prod application without requests and limits", () => {
    const text = editYaml(prod, del("applications", 0, "resources"));
    const error = refusal(text);
    expect(error.problems).toHaveLength(1);
    const [p] = error.problems;
    expect(p).toMatchObject({
      file: FILE,
      path: "applications[0].resources",
      message: "prod applications declare requests and limits (expected resources.requests and resources.limits)",
    });
    // No `resources` key left to point at: the problem sits at the application.
    expect(p!.line).toBe(lineOf(text, "- name: sample-app"));
    expect(formatProblem(p!)).toMatch(
      /^environments\/prod\.yaml:\d+:\d+: applications\[0\]\.resources: prod applications declare requests and limits/,
    );
  });

  it("refuses a prod application with requests but no limits", () => {
    const text = editYaml(prod, del("applications", 0, "resources", "limits"));
    const [p] = refusal(text).problems;
    expect(p!.path).toBe("applications[0].resources.limits");
    expect(p!.message).toMatch(/required|missing|expected/i);
    expect(p!.line).toBeGreaterThan(0);
  });

  it("refuses fewer than 2 replicas in prod, at the replicas.min key", () => {
    const text = editYaml(prod, set(["applications", 0, "replicas", "min"], 1));
    const [p, ...rest] = refusal(text).problems;
    expect(rest).toEqual([]);
    expect(p!.path).toBe("applications[0].replicas.min");
    expect(p!.message).toMatch(/^prod runs at least 2 replicas, got 1\b/);
    expect(p!.line).toBe(lineOf(text, "replicas:"));
  });

  it("refuses an internet-facing ingress without a certificate, at the certificateArn key", () => {
    const text = editYaml(prod, del("applications", 0, "ingress", "certificateArn"));
    const [p, ...rest] = refusal(text).problems;
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      path: "applications[0].ingress.certificateArn",
      message: "an internet-facing ingress serves HTTPS only (expected an ACM certificate ARN)",
    });
    // No certificateArn key left: the problem sits at the ingress mapping (its key or its first entry).
    expect([lineOf(text, "ingress:"), lineOf(text, "ingress:") + 1]).toContain(p!.line);
  });

  it("refuses the same internet-facing ingress in dev: HTTPS is not a prod-only rule", () => {
    const text = editYaml(
      dev,
      set(["applications", 0, "ingress", "scheme"], "internet-facing"),
      del("applications", 0, "ingress", "certificateArn"),
    );
    const [p] = refusal(text, "dev").problems;
    expect(p).toMatchObject({ file: "environments/dev.yaml", path: "applications[0].ingress.certificateArn" });
  });

  it("reports every workload problem of a file together", () => {
    const text = editYaml(
      prod,
      del("applications", 0, "resources"),
      set(["applications", 0, "replicas", "min"], 1),
      del("applications", 0, "ingress", "certificateArn"),
    );
    const error = refusal(text);
    expect(error.problems.map((p) => p.path).sort()).toEqual([
      "applications[0].ingress.certificateArn",
      "applications[0].replicas.min",
      "applications[0].resources",
    ]);
    // One line per problem, each naming the file and key.
    expect(error.message.split("\n")).toHaveLength(3);
    for (const line of error.message.split("\n")) expect(line).toMatch(/^environments\/prod\.yaml:\d+:\d+: applications\[0\]\./);
  });

  it("accepts what the tiers allow: one replica and no resources in dev, an internal ingress without a certificate", () => {
    const devText = editYaml(
      dev,
      set(["applications", 0, "replicas", "min"], 1),
      del("applications", 0, "resources"),
      del("applications", 0, "ingress", "certificateArn"),
    );
    const devEnv = parse(devText, "dev");
    expect(devEnv.applications[0]!.resources).toBeUndefined();
    expect(devEnv.applications[0]!.ingress!.scheme).toBe("internal");

    const prodText = editYaml(
      prod,
      set(["applications", 0, "ingress", "scheme"], "internal"),
      del("applications", 0, "ingress", "certificateArn"),
    );
    expect(parse(prodText).applications[0]!.ingress!.certificateArn).toBeUndefined();
  });

  it("accepts the checked-in prod file as it is", () => {
    const env = parse(prod);
    const app = env.applications[0]!;
    expect(app.replicas.min).toBeGreaterThanOrEqual(2);
    expect(app.resources).toBeDefined();
    expect(app.ingress!.certificateArn).toMatch(/^arn:aws:acm:/);
  });
});
