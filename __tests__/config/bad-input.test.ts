import { describe, expect, it } from "vitest";
import { ConfigError, parseEnvironment } from "../../src/config";
import { editYaml, environmentYaml, problemsOf, type Edit } from "../support/environments";

const prod = environmentYaml("prod");
const dev = environmentYaml("dev");
const at = (...edits: Edit[]) => editYaml(prod, ...edits);
const set = (path: (string | number)[], value: unknown): Edit => ({ set: path, value });
const del = (...path: (string | number)[]): Edit => ({ delete: path });

/** Every message follows `<file>:<line>:<col>: <key.path>: <problem> (expected …)`. */
const LINE = /^environments\/(prod|dev)\.yaml:\d+:\d+: (\S+: )?.+\(expected .+\)$|^environments\/(prod|dev)\.yaml:\d+:\d+: .+; use .+$/;

interface Case {
  name: string;
  text: string | Buffer;
  /** A problem's key path and a fragment of its message. */
  path: string;
  message: RegExp;
  /** Line the problem is reported at, when it is known. */
  line?: number;
  file?: "prod" | "dev";
}

const cases: Case[] = [
  // Malformed files
  { name: "empty file", text: "", path: "", message: /the file is empty/, line: 1 },
  { name: "only a comment", text: "# nothing here\n", path: "", message: /the file is empty/ },
  {
    name: "top level is a list",
    text: "- name: prod\n",
    path: "",
    message: /the top level is a list \(expected a mapping of keys to values\)/,
    line: 1,
  },
  { name: "top level is a scalar", text: "prod\n", path: "", message: /expected a mapping/ },
  { name: "unclosed flow mapping", text: "name: prod\ntags: { owner: x\n", path: "", message: /invalid YAML/ },
  { name: "tab indentation", text: "name: prod\nnetwork:\n\tcidr: 10.0.0.0/16\n", path: "", message: /invalid YAML/, line: 3 },
  { name: "duplicate key", text: "name: prod\nname: prod\n", path: "", message: /invalid YAML: Map keys must be unique/, line: 2 },
  {
    name: "non-UTF-8 bytes",
    text: Buffer.concat([Buffer.from("name: prod\nregion: eu-"), Buffer.from([0xff, 0xfe]), Buffer.from("\n")]),
    path: "",
    message: /not valid UTF-8/,
    line: 2,
  },
  { name: "two documents", text: "name: prod\n---\nname: dev\n", path: "", message: /invalid YAML/ },
  // Wrong types
  {
    name: "account as a number",
    text: at(set(["account"], 333333333333)),
    path: "account",
    message: /got 333333333333 \(expected a string\)/,
  },
  { name: "azCount as a string", text: at(set(["network", "azCount"], "three")), path: "network.azCount", message: /expected a number/ },
  {
    name: "nodeGroups as a mapping",
    text: at(set(["cluster", "nodeGroups"], { system: {} })),
    path: "cluster.nodeGroups",
    message: /expected a list/,
  },
  { name: "tags as a list", text: at(set(["tags"], ["a"])), path: "tags", message: /expected (a record|a mapping|an object)/ },
  // Unknown keys
  { name: "unknown top-level key", text: at(set(["regoin"], "eu-west-1")), path: "regoin", message: /unknown key; did you mean region\?/ },
  {
    name: "typo in a nested key",
    text: at(set(["network", "natGatways"], "single")),
    path: "network.natGatways",
    message: /did you mean natGateways\?/,
  },
  {
    name: "unknown key in a node group",
    text: at(set(["cluster", "nodeGroups", 0, "instanceType"], "m6i.large")),
    path: "cluster.nodeGroups[0].instanceType",
    message: /did you mean instanceTypes\?/,
  },
  // Missing keys
  { name: "missing account", text: at(del("account")), path: "account", message: /is required \(expected a string\)/ },
  { name: "missing VPC CIDR", text: at(del("network", "cidr")), path: "network.cidr", message: /is required/ },
  // Out-of-range and malformed values
  {
    name: "unknown tier",
    text: at(set(["tier"], "production")),
    path: "tier",
    message: /got "production" \(expected one of: dev, staging, prod\)/,
  },
  { name: "account of 11 digits", text: at(set(["account"], "12345678901")), path: "account", message: /12-digit AWS account id/ },
  { name: "region malformed", text: at(set(["region"], "Europe")), path: "region", message: /an AWS region/ },
  {
    name: "CIDR with host bits",
    text: at(set(["network", "cidr"], "10.30.0.1/16")),
    path: "network.cidr",
    message: /address bits beyond the prefix must be zero/,
  },
  {
    name: "retention CloudWatch does not accept",
    text: at(set(["network", "flowLogs", "retentionDays"], 45)),
    path: "network.flowLogs.retentionDays",
    message: /retention periods CloudWatch Logs accepts/,
  },
  { name: "azCount above the limit", text: at(set(["network", "azCount"], 7)), path: "network.azCount", message: /expected at most 6/ },
  {
    name: "node group name with capitals",
    text: at(set(["cluster", "nodeGroups", 0, "name"], "System")),
    path: "cluster.nodeGroups[0].name",
    message: /a-z, 0-9/,
  },
  {
    name: "unknown instance family",
    text: at(set(["cluster", "nodeGroups", 1, "instanceTypes"], ["m6l.large"])),
    path: "cluster.nodeGroups[1].instanceTypes[0]",
    message: /not a known instance type/,
  },
  {
    name: "SLO of 100 %",
    text: at(set(["applications", 0, "slo", "availability"], 100)),
    path: "applications[0].slo.availability",
    message: /below 100 %/,
  },
  {
    name: "SLO of 0 %",
    text: at(set(["applications", 0, "slo", "availability"], 0)),
    path: "applications[0].slo.availability",
    message: /above 0 %/,
  },
  {
    name: "latency threshold of zero",
    text: at(set(["applications", 0, "slo", "latency", "thresholdSeconds"], 0)),
    path: "applications[0].slo.latency.thresholdSeconds",
    message: /above zero seconds/,
  },
  {
    name: "state backend unknown",
    text: at(set(["state", "backend"], "consul")),
    path: "state.backend",
    message: /got "consul" \(expected one of: local, cloud, s3\)/,
  },
  // Cross-field rules
  {
    name: "desired above max",
    text: at(set(["cluster", "nodeGroups", 1, "desiredSize"], 20)),
    path: "cluster.nodeGroups[1].desiredSize",
    message: /minSize <= desiredSize <= maxSize/,
  },
  {
    name: "prod with two zones",
    text: at(set(["network", "azCount"], 2)),
    path: "network.azCount",
    message: /prod needs at least 3 availability zones/,
  },
  {
    name: "prod with one NAT gateway",
    text: at(set(["network", "natGateways"], "single")),
    path: "network.natGateways",
    message: /one NAT gateway per zone/,
  },
  {
    name: "subnet outside the VPC",
    text: at(set(["network", "privateSubnets"], ["10.30.0.0/18", "10.30.64.0/18", "10.99.0.0/18"])),
    path: "network.privateSubnets[2]",
    message: /not inside the VPC CIDR/,
  },
  {
    name: "overlapping subnets",
    text: at(set(["network", "publicSubnets"], ["10.30.0.0/20", "10.30.208.0/20", "10.30.224.0/20"])),
    path: "network.privateSubnets[0]",
    message: /overlaps network.publicSubnets\[0\]/,
  },
  {
    name: "public endpoint open to the internet",
    text: at(set(["cluster", "endpoint"], { private: true, public: true, publicCidrs: ["0.0.0.0/0"] })),
    path: "cluster.endpoint.publicCidrs[0]",
    message: /whole internet/,
  },
  {
    name: "public endpoint in prod",
    text: at(set(["cluster", "endpoint"], { private: true, public: true, publicCidrs: ["203.0.113.0/24"] })),
    path: "cluster.endpoint.public",
    message: /prod keeps the public endpoint off/,
  },
  {
    name: "spot group with one type",
    text: at(set(["cluster", "nodeGroups", 2, "instanceTypes"], ["m6i.xlarge"])),
    path: "cluster.nodeGroups[2].instanceTypes",
    message: /at least 3 instance types/,
  },
  {
    name: "spot types of mixed sizes",
    text: at(set(["cluster", "nodeGroups", 2, "instanceTypes"], ["m6i.xlarge", "m6a.2xlarge", "m7i.xlarge"])),
    path: "cluster.nodeGroups[2].instanceTypes",
    message: /of one size/,
  },
  {
    name: "node group with SSH",
    text: at(set(["cluster", "nodeGroups", 1, "sshKeyName"], "ops")),
    path: "cluster.nodeGroups[1].sshKeyName",
    message: /SSH access to nodes is not allowed/,
  },
  {
    name: "node group without encryption",
    text: at(set(["cluster", "nodeGroups", 1, "diskEncrypted"], false)),
    path: "cluster.nodeGroups[1].diskEncrypted",
    message: /always encrypted/,
  },
  {
    name: "duplicate application names",
    text: at(set(["applications", 1], { ...JSON.parse(JSON.stringify(parseApp())) })),
    path: "applications[1].name",
    message: /duplicate application name sample-app/,
  },
  {
    name: "application of an unknown team",
    text: at(set(["applications", 0, "team"], "search")),
    path: "applications[0].team",
    message: /unknown team search \(expected one of: payments\)/,
  },
  {
    name: "application without limits in prod",
    text: at(del("applications", 0, "resources")),
    path: "applications[0].resources",
    message: /prod applications declare requests and limits/,
  },
  {
    name: "one replica in prod",
    text: at(set(["applications", 0, "replicas", "min"], 1)),
    path: "applications[0].replicas.min",
    message: /prod runs at least 2 replicas/,
  },
  {
    name: "public ingress without a certificate",
    text: at(del("applications", 0, "ingress", "certificateArn")),
    path: "applications[0].ingress.certificateArn",
    message: /serves HTTPS only/,
  },
  {
    name: "unknown secret",
    text: at(set(["monitoring", "grafana", "adminSecret"], "grafana")),
    path: "monitoring.grafana.adminSecret",
    message: /unknown secret grafana/,
  },
  {
    name: "name does not match the file",
    text: at(set(["name"], "production")),
    path: "name",
    message: /does not match the file name \(expected "prod"\)/,
  },
  // Values at the limits are accepted by the cases in limits.test.ts; dev may do what prod may not:
  {
    name: "dev zone outside its region",
    text: editYaml(dev, set(["network", "availabilityZones"], ["eu-west-1a", "us-east-1b"])),
    path: "network.availabilityZones[1]",
    message: /not in region eu-west-1/,
    file: "dev",
  },
];

function parseApp(): Record<string, unknown> {
  // The prod sample app, copied to build a duplicate.
  return {
    name: "sample-app",
    team: "payments",
    namespace: "payments",
    repository: "shipyard/sample-app",
    port: 8081,
    replicas: { min: 2, max: 3 },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
    slo: { availability: 99, latency: { thresholdSeconds: 0.3, objective: 99 } },
  };
}

describe("a bad environment file is refused with one clear message per problem", () => {
  it.each(cases)("$name", ({ text, path, message, line, file }) => {
    const name = file ?? "prod";
    let error: ConfigError;
    if (Buffer.isBuffer(text)) {
      try {
        parseEnvironment(`environments/${name}.yaml`, text);
        throw new Error("accepted");
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        error = e as ConfigError;
      }
    } else {
      error = problemsOf(text, name);
    }
    const match = error.problems.find((p) => p.path === path && message.test(p.message));
    expect(match, `no problem at ${path} matching ${message}; got:\n${error.message}`).toBeDefined();
    if (line !== undefined) expect(match!.line).toBe(line);
    for (const printed of error.message.split("\n")) expect(printed).toMatch(LINE);
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it("reports every problem of a file at once, in line order", () => {
    const error = problemsOf(at(set(["account"], "1"), set(["region"], "x"), set(["network", "natGatways"], "single")));
    expect(error.problems.map((p) => p.path)).toEqual(["account", "region", "network.natGatways"]);
    const lines = error.problems.map((p) => p.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it("points at the offending key's own line", () => {
    const text = at(set(["network", "natGatways"], "single"));
    const line = text.split("\n").findIndex((l) => l.includes("natGatways")) + 1;
    expect(problemsOf(text).problems[0]).toMatchObject({ line, path: "network.natGatways" });
  });

  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
});
