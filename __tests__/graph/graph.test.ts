import { describe, expect, it } from "vitest";
import { renderGraph, resourceGraph, stackGraph } from "../../src/graph/graph";

const stacks = [
  { name: "dev-foundation", dependencies: [] },
  { name: "dev-network", dependencies: ["dev-foundation"] },
  { name: "prod-foundation", dependencies: [] },
];

describe("graph", () => {
  it("groups stacks by environment with an arrow from each dependency, in Mermaid", () => {
    expect(renderGraph(stackGraph(stacks), "mermaid", "shipyard")).toBe(
      [
        "flowchart LR",
        '  subgraph group_dev["dev"]',
        '    dev_foundation["dev-foundation"]',
        '    dev_network["dev-network"]',
        "  end",
        '  subgraph group_prod["prod"]',
        '    prod_foundation["prod-foundation"]',
        "  end",
        "  dev_foundation --> dev_network",
        "",
      ].join("\n"),
    );
  });

  it("writes the same as DOT, one cluster per environment", () => {
    const dot = renderGraph(stackGraph(stacks), "dot", "shipyard");
    expect(dot).toMatch(/^digraph "shipyard" \{/);
    expect(dot).toContain('  subgraph cluster_0 {\n    label="dev";');
    expect(dot).toContain('  "dev-foundation" -> "dev-network";');
    expect(dot.trimEnd().endsWith("}")).toBe(true);
  });

  it("draws a stack's resources with an edge for each reference and depends_on", () => {
    const graph = resourceGraph({
      resource: {
        aws_vpc: { this: { cidr_block: "10.0.0.0/16" } },
        aws_subnet: { a: { vpc_id: "${aws_vpc.this.id}" } },
        aws_nat_gateway: { a: { subnet_id: "${aws_subnet.a.id}", depends_on: ["aws_vpc.this"] } },
      },
      data: {
        terraform_remote_state: { "cross-stack-reference-input-dev-foundation": {} },
        aws_iam_policy_document: {
          x: { statement: [{ resources: ["${data.terraform_remote_state.cross-stack-reference-input-dev-foundation.outputs.x}"] }] },
        },
      },
    });
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: "aws_vpc.this", to: "aws_subnet.a" },
        { from: "aws_subnet.a", to: "aws_nat_gateway.a" },
        { from: "aws_vpc.this", to: "aws_nat_gateway.a" },
        { from: "data.terraform_remote_state.cross-stack-reference-input-dev-foundation", to: "data.aws_iam_policy_document.x" },
      ]),
    );
    expect(graph.edges).toHaveLength(4);
    expect(graph.groups.map((g) => g.name)).toEqual(["resources", "data sources"]);
  });
});
