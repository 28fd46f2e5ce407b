import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import type { EnvironmentConfig } from "../../src/config";
import { FoundationStack } from "../../src/stacks/foundation";
import { NetworkStack } from "../../src/stacks/network";
import { loadFixture } from "../support/environments";

type Json = Record<string, any>;
const values = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});

function synthNetwork(env: EnvironmentConfig): Json {
  const app = Testing.app({ stackTraces: false });
  const base = { env, outdir: "cdktf.out" };
  const foundation = new FoundationStack(app, base);
  return JSON.parse(Testing.synth(new NetworkStack(app, { ...base, foundation })));
}

const privateTables = (json: Json) =>
  Object.entries(json.resource.aws_route_table as Json)
    .filter(([, t]) => /-private-/.test(t.tags.Name))
    .map(([key]) => `\${aws_route_table.${key}.id}`)
    .sort();

describe("NetworkStack: the path from the CI network (cluster.endpoint.ci)", () => {
  it("prod: attaches the private subnets to the transit gateway and routes the CI network through it", () => {
    const env = loadFixture("prod");
    const ci = env.cluster.endpoint.ci;
    expect(ci?.via).toBe("transit-gateway");
    if (ci?.via !== "transit-gateway") return;
    const json = synthNetwork(env);
    const [attachment, ...more] = values(json, "aws_ec2_transit_gateway_vpc_attachment");
    expect(more).toHaveLength(0);
    expect(attachment).toMatchObject({ transit_gateway_id: ci.transitGatewayId, dns_support: "enable" });
    expect(attachment!.subnet_ids).toHaveLength(env.network.azCount);
    for (const id of attachment!.subnet_ids) expect(id).toMatch(/^\$\{aws_subnet\..*private.*\.id\}$/);
    const routes = values(json, "aws_route").filter((r) => r.transit_gateway_id !== undefined);
    expect(routes.map((r) => r.route_table_id).sort()).toEqual(privateTables(json));
    for (const r of routes) {
      expect(r).toMatchObject({ destination_cidr_block: ci.cidrs[0], transit_gateway_id: ci.transitGatewayId });
      expect(r.depends_on).toEqual([expect.stringMatching(/^aws_ec2_transit_gateway_vpc_attachment\./)]);
    }
  });

  it("peering: routes the CI network through the connection from every private route table", () => {
    const env = loadFixture("staging", {
      set: ["cluster", "endpoint", "ci"],
      value: { via: "peering", cidrs: ["10.99.0.0/18", "10.98.0.0/24"], peeringConnectionId: "pcx-0123456789abcdef0" },
    });
    const json = synthNetwork(env);
    expect(values(json, "aws_ec2_transit_gateway_vpc_attachment")).toEqual([]);
    const routes = values(json, "aws_route").filter((r) => r.vpc_peering_connection_id !== undefined);
    expect(routes).toHaveLength(2 * env.network.azCount);
    expect(new Set(routes.map((r) => r.destination_cidr_block))).toEqual(new Set(["10.99.0.0/18", "10.98.0.0/24"]));
    expect([...new Set(routes.map((r) => r.route_table_id))].sort()).toEqual(privateTables(json));
  });

  it("dev (public endpoint) and a path without a connection id: no routes to build", () => {
    for (const env of [
      loadFixture("dev"),
      loadFixture("prod", { set: ["cluster", "endpoint", "ci"], value: { via: "transit-gateway", cidrs: ["10.99.0.0/18"] } }),
    ]) {
      const json = synthNetwork(env);
      expect(values(json, "aws_ec2_transit_gateway_vpc_attachment")).toEqual([]);
      expect(values(json, "aws_route").filter((r) => r.destination_cidr_block !== "0.0.0.0/0")).toEqual([]);
    }
  });
});
