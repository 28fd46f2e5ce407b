import { describe, expect, it } from "vitest";
import { compareStacks, type StackJson } from "../../src/review/compare";
import { formatDiff } from "../../src/review/format";

const vpc = (cidr: string, path = "net/vpc"): StackJson => ({
  "//": { metadata: { stackName: "dev-network" } },
  provider: { aws: [{ region: "eu-west-1" }] },
  resource: { aws_vpc: { main: { "//": { metadata: { path } }, cidr_block: cidr, tags: { Name: "a" } } } },
});

describe("compareStacks", () => {
  it("sees no change between equal stacks, even when construct paths moved", () => {
    expect(compareStacks(new Map([["dev-network", vpc("10.0.0.0/16")]]), new Map([["dev-network", vpc("10.0.0.0/16", "moved/vpc")]]))).toEqual([]);
  });

  it("names the changed attributes of a resource", () => {
    const [change] = compareStacks(new Map([["dev-network", vpc("10.0.0.0/16")]]), new Map([["dev-network", vpc("10.1.0.0/16")]]));
    expect(change).toEqual({
      stack: "dev-network",
      kind: "changed",
      resources: [{ address: "resource.aws_vpc.main", kind: "changed", attributes: ["cidr_block"] }],
      settings: [],
    });
  });

  it("lists added and removed resources and stacks", () => {
    const after = vpc("10.0.0.0/16");
    (after.resource as Record<string, unknown>).aws_subnet = { a: { cidr_block: "10.0.0.0/20" } };
    const changes = compareStacks(new Map([["dev-network", vpc("10.0.0.0/16")], ["dev-old", vpc("10.9.0.0/16")]]), new Map([["dev-network", after], ["dev-new", vpc("10.8.0.0/16")]]));
    expect(changes.map((c) => [c.stack, c.kind])).toEqual([["dev-network", "changed"], ["dev-new", "added"], ["dev-old", "removed"]]);
    expect(changes[0]!.resources).toEqual([{ address: "resource.aws_subnet.a", kind: "added", attributes: [] }]);
    expect(changes[1]!.resources[0]).toMatchObject({ address: "resource.aws_vpc.main", kind: "added" });
  });

  it("reports provider and backend changes as settings", () => {
    const after = { ...vpc("10.0.0.0/16"), provider: { aws: [{ region: "eu-central-1" }] } };
    expect(compareStacks(new Map([["s", vpc("10.0.0.0/16")]]), new Map([["s", after]]))[0]!.settings).toEqual(["provider.aws[0].region"]);
  });
});

describe("formatDiff", () => {
  const changes = compareStacks(new Map([["dev-network", vpc("10.0.0.0/16")]]), new Map([["dev-network", vpc("10.1.0.0/16")]]));

  it("writes text for people", () => {
    expect(formatDiff(changes, "text", "generated")).toBe(
      "1 stack(s) differ from generated: 0 to add, 1 to change, 0 to remove.\n\n~ stack dev-network\n  ~ resource.aws_vpc.main: cidr_block\n",
    );
  });

  it("writes markdown for a pull request", () => {
    expect(formatDiff(changes, "markdown", "main")).toContain("| ~ | `resource.aws_vpc.main` | `cidr_block` |");
  });

  it("writes JSON for machines", () => {
    expect(JSON.parse(formatDiff(changes, "json", "main"))).toMatchObject({ against: "main", summary: { added: 0, changed: 1, removed: 0 } });
  });

  it("says so when nothing changed", () => {
    expect(formatDiff([], "text", "generated")).toBe("No changes against generated.\n");
  });
});
