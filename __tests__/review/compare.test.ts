import { describe, expect, it } from "vitest";
import { compareStacks, valueChanges, type StackJson } from "../../src/review/compare";
import { compareArtifacts } from "../../src/review/artifacts";
import { capped, formatDiff, MARKDOWN_LIMIT, summarize, type Review } from "../../src/review/format";

const network = (cidr: string, extra: Record<string, unknown> = {}, path = "net/vpc"): StackJson => ({
  "//": { metadata: { stackName: "dev-network" } },
  provider: { aws: [{ region: "eu-west-1" }] },
  resource: {
    aws_vpc: { this: { "//": { metadata: { path } }, cidr_block: cidr, tags: { Name: "a" } } },
    aws_subnet: { private_a: { vpc_id: "${aws_vpc.this.id}", cidr_block: "10.0.0.0/20" } },
    aws_route_table: { private_a: { vpc_id: "${aws_vpc.this.id}" } },
    ...extra,
  },
  data: { aws_iam_policy_document: { trust: { statement: [{ actions: ["sts:AssumeRole"] }] } } },
});

const one = (stack: StackJson) => new Map([["dev-network", stack]]);
const review = (before: StackJson, after: StackJson): Review => ({
  against: "generated",
  stacks: compareStacks(one(before), one(after)),
  artifacts: [],
});

describe("compareStacks", () => {
  it("sees no change between equal stacks, even when construct paths moved", () => {
    expect(compareStacks(one(network("10.0.0.0/16")), one(network("10.0.0.0/16", {}, "moved/vpc")))).toEqual([]);
  });

  it("gives old and new values of every changed attribute, and updates in place what forces nothing", () => {
    const before = network("10.0.0.0/16", { aws_eks_node_group: { general: { scaling_config: { min_size: 2, max_size: 12 } } } });
    const after = network("10.0.0.0/16", { aws_eks_node_group: { general: { scaling_config: { min_size: 2, max_size: 16 } } } });
    const [stack] = compareStacks(one(before), one(after));
    expect(stack!.resources).toEqual([
      {
        address: "aws_eks_node_group.general",
        type: "aws_eks_node_group",
        data: false,
        kind: "changed",
        action: "update",
        changes: [{ path: "scaling_config.max_size", before: 12, after: 16 }],
      },
    ]);
  });

  it("marks a replacement, and the resources whose replacement-forcing reference it changes", () => {
    const [stack] = compareStacks(one(network("10.0.0.0/16")), one(network("10.1.0.0/16")));
    const byAddress = Object.fromEntries(stack!.resources.map((r) => [r.address, r]));
    expect(byAddress["aws_vpc.this"]).toMatchObject({
      action: "replace",
      changes: [{ path: "cidr_block", before: "10.0.0.0/16", after: "10.1.0.0/16", forcesReplacement: "cidr_block" }],
    });
    expect(byAddress["aws_subnet.private_a"]).toMatchObject({
      action: "replace",
      changes: [{ path: "vpc_id", forcesReplacement: "vpc_id" }],
    });
    expect(byAddress["aws_route_table.private_a"]?.action).toBe("replace");
    expect(summarize(review(network("10.0.0.0/16"), network("10.1.0.0/16")))).toMatchObject({ replace: 3, update: 0, delete: 0 });
  });

  it("does not count data sources as changes", () => {
    const after = network("10.0.0.0/16");
    (after.data as any).aws_iam_policy_document.trust.statement[0].actions = ["sts:AssumeRoleWithWebIdentity"];
    const r = review(network("10.0.0.0/16"), after);
    expect(r.stacks[0]!.resources).toMatchObject([{ address: "data.aws_iam_policy_document.trust", data: true, action: "read" }]);
    expect(summarize(r)).toMatchObject({ create: 0, update: 0, replace: 0, delete: 0, dataRead: 1 });
  });

  it("lists added and removed resources and stacks", () => {
    const after = network("10.0.0.0/16", { aws_eip: { nat: { domain: "vpc" } } });
    const changes = compareStacks(
      new Map([
        ["dev-network", network("10.0.0.0/16")],
        ["dev-old", network("10.9.0.0/16")],
      ]),
      new Map([
        ["dev-network", after],
        ["dev-new", network("10.8.0.0/16")],
      ]),
    );
    expect(changes.map((c) => [c.stack, c.kind])).toEqual([
      ["dev-network", "changed"],
      ["dev-new", "added"],
      ["dev-old", "removed"],
    ]);
    expect(changes[0]!.resources).toMatchObject([{ address: "aws_eip.nat", kind: "added", action: "create" }]);
    expect(changes[2]!.resources.find((r) => r.address === "aws_vpc.this")).toMatchObject({ action: "delete" });
  });

  it("reports provider and backend changes as settings, with values", () => {
    const after = { ...network("10.0.0.0/16"), provider: { aws: [{ region: "eu-central-1" }] } };
    expect(compareStacks(one(network("10.0.0.0/16")), one(after))[0]!.settings).toEqual([
      { path: "provider.aws[0].region", before: "eu-west-1", after: "eu-central-1" },
    ]);
  });
});

describe("valueChanges", () => {
  it("diffs Helm values (a JSON or YAML document in a string) key by key", () => {
    const values = (retention: string) => [JSON.stringify({ prometheus: { prometheusSpec: { retention, replicas: 2 } } }, null, 2)];
    expect(valueChanges({ values: values("15d") }, { values: values("30d") }, "")).toEqual([
      { path: "values[0].prometheus.prometheusSpec.retention", before: "15d", after: "30d" },
    ]);
    expect(valueChanges("a: 1\nb:\n  c: 2\n", "a: 1\nb:\n  c: 3\n", "values[0]")).toEqual([{ path: "values[0].b.c", before: 2, after: 3 }]);
  });

  it("diffs JSON policy documents statement by statement", () => {
    const policy = (action: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: [action], Resource: "*" }] });
    expect(valueChanges(policy("s3:GetObject"), policy("s3:PutObject"), "policy")).toEqual([
      { path: "policy.Statement[0].Action[0]", before: "s3:GetObject", after: "s3:PutObject" },
    ]);
  });

  it("shows a list whose length changed as a whole, and quotes odd keys", () => {
    expect(valueChanges({ subnet_ids: ["a"] }, { subnet_ids: ["a", "b"] }, "")).toEqual([
      { path: "subnet_ids", before: ["a"], after: ["a", "b"] },
    ]);
    expect(valueChanges({ tags: { "kubernetes.io/role/elb": "1" } }, { tags: {} }, "")).toEqual([
      { path: 'tags."kubernetes.io/role/elb"', before: "1" },
    ]);
  });
});

describe("compareArtifacts", () => {
  it("reviews rules, dashboards, Ansible variables and the schema key by key, never Terraform files", () => {
    const before = new Map([
      ["monitoring/prod/rules/slo.yaml", "groups:\n  - name: slo\n    rules:\n      - expr: vector(0.999)\n"],
      ["ansible/prod.yml", "cluster_name: shipyard-prod\n"],
      ["terraform/prod-network.tf.json", "{}"],
    ]);
    const after = new Map([
      ["monitoring/prod/rules/slo.yaml", "groups:\n  - name: slo\n    rules:\n      - expr: vector(0.9995)\n"],
      ["dashboards/nodes.json", "{}"],
      ["terraform/prod-network.tf.json", '{"a":1}'],
    ]);
    expect(compareArtifacts(before, after)).toEqual([
      { file: "ansible/prod.yml", kind: "removed", changes: [], more: 0 },
      { file: "dashboards/nodes.json", kind: "added", changes: [], more: 0 },
      {
        file: "monitoring/prod/rules/slo.yaml",
        kind: "changed",
        changes: [{ path: "groups[0].rules[0].expr", before: "vector(0.999)", after: "vector(0.9995)" }],
        more: 0,
      },
    ]);
  });
});

describe("formatDiff", () => {
  const r = review(network("10.0.0.0/16"), network("10.1.0.0/16"));

  it("writes text for people: the summary, then destroys and replacements with a warning, then each stack", () => {
    const text = formatDiff(r, "text");
    expect(text.split("\n").slice(0, 4)).toEqual([
      "Against generated: 0 to add, 0 to change, 3 to replace, 0 to destroy in 1 stack(s); 0 data source(s) re-read; 0 other generated file(s) changed.",
      "",
      "WARNING: 3 resource(s) will be destroyed or replaced:",
      "  -/+ dev-network aws_route_table.private_a (vpc_id forces replacement)",
    ]);
    expect(text).toContain('      cidr_block: "10.0.0.0/16" → "10.1.0.0/16"  (forces replacement)');
  });

  it("writes markdown for a pull request: a warning first, then each stack folded", () => {
    const markdown = formatDiff(r, "markdown");
    expect(markdown.indexOf("> [!WARNING]")).toBeLessThan(markdown.indexOf("<details>"));
    expect(markdown).toContain("<details><summary><code>dev-network</code>: 3 to replace</summary>");
    expect(markdown).toContain('| -/+ | `aws_vpc.this` | `cidr_block` **forces replacement** | `"10.0.0.0/16"` | `"10.1.0.0/16"` |');
  });

  it("keeps markdown under GitHub's limit, shortening then leaving out sections, with a note", () => {
    const huge = network("10.0.0.0/16");
    const bigger = network("10.0.0.0/16");
    for (let i = 0; i < 3000; i++) {
      (huge.resource as any)[`aws_iam_role`] ??= {};
      (bigger.resource as any)[`aws_iam_role`] ??= {};
      (huge.resource as any).aws_iam_role[`role_${i}`] = { description: `before ${i}` };
      (bigger.resource as any).aws_iam_role[`role_${i}`] = { description: `after ${i}` };
    }
    const stacks = new Map([...Array(4).keys()].map((i) => [`dev-s${i}`, huge]));
    const changed = new Map([...Array(4).keys()].map((i) => [`dev-s${i}`, bigger]));
    const markdown = formatDiff({ against: "main", stacks: compareStacks(stacks, changed), artifacts: [] }, "markdown");
    expect(markdown.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(markdown).toMatch(/> \[!NOTE\]\n> Truncated to stay under GitHub's 65,536-character limit: rows of \d section\(s\) left out/);
    expect(capped("head", [{ name: "a", full: "x".repeat(100), short: "y".repeat(100) }], 300)).toMatch(/1 section\(s\) not shown \(a\)/);
  });

  it("writes JSON for machines", () => {
    expect(JSON.parse(formatDiff(r, "json"))).toMatchObject({
      against: "generated",
      summary: { create: 0, update: 0, replace: 3, delete: 0, dataRead: 0 },
    });
  });

  it("says so when nothing changed", () => {
    expect(formatDiff({ against: "generated", stacks: [], artifacts: [] }, "text")).toBe("No changes against generated.\n");
  });
});
