import { describe, expect, it } from "vitest";
import { ConfigError, listEnvironments, loadEnvironments } from "../../src/config";
import { TIER_DEFAULTS } from "../../src/config/defaults";
import { editYaml, environmentYaml, loadFixture, parse, ROOT } from "../support/environments";
import * as path from "node:path";

const dir = path.join(ROOT, "environments");

describe("loading environments", () => {
  it("finds dev, staging, prod and tools (the CI account)", () => {
    expect(listEnvironments(dir)).toEqual(["dev", "prod", "staging", "tools"]);
  });

  it("loads every checked-in environment", () => {
    const envs = loadEnvironments(dir);
    expect(envs.map((e) => [e.name, e.tier, e.state.backend])).toEqual([
      ["dev", "dev", "cloud"],
      ["prod", "prod", "cloud"],
      ["staging", "staging", "cloud"],
      ["tools", "prod", "cloud"],
    ]);
  });

  it("refuses an unknown --env with the list of known ones", () => {
    expect(() => loadEnvironments(dir, ["qa"])).toThrowError(/--env: unknown environment qa \(expected one of: dev, prod, staging/);
  });

  it("reports a missing folder as bad input", () => {
    expect(() => loadEnvironments(path.join(dir, "missing"))).toThrow(ConfigError);
  });

  it("returns a frozen config", () => {
    const env = loadFixture("dev");
    expect(Object.isFrozen(env)).toBe(true);
    expect(Object.isFrozen(env.cluster.nodeGroups[0])).toBe(true);
  });
});

describe("tier defaults", () => {
  it("fill what a file leaves out, per tier", () => {
    const dev = loadFixture("dev");
    const prod = loadFixture("prod");
    expect(dev.network.flowLogs.retentionDays).toBe(30);
    expect(prod.network.flowLogs.retentionDays).toBe(365);
    expect(prod.protection).toMatchObject({ preventDestroy: true, kmsDeletionWindowDays: 30 });
    expect(dev.protection).toMatchObject({ preventDestroy: false, kmsDeletionWindowDays: 7 });
    expect(prod.cluster.deletionProtection).toBe(true);
    expect(prod.cluster.endpoint).toMatchObject({ private: true, public: false, publicCidrs: [] });
  });

  it("lose to the file's own values; lists replace, objects merge", () => {
    const env = loadFixture(
      "staging",
      { set: ["network", "endpoints"], value: ["s3"] },
      { set: ["network", "flowLogs"], value: { retentionDays: 14 } },
    );
    expect(env.network.endpoints).toEqual(["s3"]);
    expect(env.network.flowLogs).toEqual({ retentionDays: 14, trafficType: "ALL" });
  });

  it("exist for every tier with the same keys", () => {
    const keys = Object.values(TIER_DEFAULTS).map((d) => Object.keys(d).sort().join(","));
    expect(new Set(keys).size).toBe(1);
  });
});

describe("derived values", () => {
  it("carve one private /18 and one public /20 per zone from a /16", () => {
    const env = loadFixture("prod");
    expect(env.network.privateSubnets).toEqual(["10.30.0.0/18", "10.30.64.0/18", "10.30.128.0/18"]);
    expect(env.network.publicSubnets).toEqual(["10.30.192.0/20", "10.30.208.0/20", "10.30.224.0/20"]);
    expect(env.network.availabilityZones).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    expect(env.clusterName).toBe("shipyard-prod");
  });

  it("keep explicit subnets", () => {
    const text = editYaml(environmentYaml("dev"), { set: ["network", "privateSubnets"], value: ["10.10.0.0/19", "10.10.32.0/19"] });
    expect(parse(text, "dev").network.privateSubnets).toEqual(["10.10.0.0/19", "10.10.32.0/19"]);
  });
});

describe("values at the limits are accepted", () => {
  it.each([
    ["the smallest VPC Shipyard plans", ["network", "cidr"], "10.30.0.0/24"],
    ["six zones", ["network", "azCount"], 6],
    ["an SLO just under 100 %", ["applications", 0, "slo", "availability"], 99.999],
    ["the longest CloudWatch retention", ["network", "flowLogs", "retentionDays"], 3653],
    ["a node group of 450 nodes", ["cluster", "nodeGroups", 1, "maxSize"], 450],
  ] as const)("%s", (_name, key, value) => {
    const extra = key[1] === "azCount" ? [] : [];
    expect(() => loadFixture("prod", { set: [...key], value }, ...extra)).not.toThrow();
  });

  it("a public endpoint in prod with a stated reason", () => {
    const env = loadFixture(
      "prod",
      {
        set: ["cluster", "endpoint"],
        value: { private: true, public: true, publicCidrs: ["203.0.113.0/24"], ci: { via: "public", cidrs: ["203.0.113.0/26"] } },
      },
      { set: ["protection", "waiverReason"], value: "Break-glass access while the VPN is replaced (INC-4211)." },
    );
    expect(env.cluster.endpoint.public).toBe(true);
  });
});
