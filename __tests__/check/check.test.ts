import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/check/checks";
import { checkovFindings } from "../../src/check/checks/checkov";
import { classifyCheckov } from "../../src/policy/checkov";
import { CHECKOV_SKIPS } from "../../src/policy/checkov-skips";
import { formatFindings, sarif } from "../../src/check/format";
import { iamActionsCheck } from "../../src/check/checks/iam-actions";
import type { Finding } from "../../src/check/types";

const checks = [
  { id: "iam-actions", title: "IAM action strings are real actions" },
  { id: "checkov", title: "checkov policies" },
];
const findings: Finding[] = [
  {
    check: "iam-actions",
    severity: "error",
    stack: "dev-cluster",
    resource: "resource.aws_iam_role_policy.x.policy",
    message: "s3:GetObjects is not a real action",
  },
  {
    check: "checkov",
    severity: "error",
    stack: "dev-network",
    resource: "aws_vpc.this",
    message: "CKV2_AWS_11: Ensure VPC flow logging is enabled",
    rule: "CKV2_AWS_11",
    helpUri: "https://docs.example/ckv2_aws_11",
  },
];

describe("the check registry", () => {
  it("has unique ids, a title each, and runs Shipyard's own checks before checkov", () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(CHECKS.every((c) => c.title.length > 0)).toBe(true);
    expect(ids).toEqual(expect.arrayContaining(["iam-actions", "checkov"]));
  });

  it("gives every checkov skip a reason", () => {
    for (const skip of CHECKOV_SKIPS) {
      expect(skip.id).toMatch(/^CKV2?_[A-Z0-9]+_\d+$/);
      expect(skip.reason.length, skip.id).toBeGreaterThan(20);
    }
  });
});

describe("the iam-actions check", () => {
  it("finds an action that does not exist, wherever the policy sits", async () => {
    const stacks = new Map([
      [
        "dev-cluster",
        {
          resource: {
            aws_iam_role_policy: {
              x: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjects"], Resource: "*" }] }) },
            },
          },
        },
      ],
      ["dev-network", { data: { aws_iam_policy_document: { trust: { statement: [{ actions: ["sts:AssumeRole"] }] } } } }],
    ]);
    const found = await iamActionsCheck.run({ root: "/", envs: [], outdir: "/", stacks });
    expect(found).toEqual([
      {
        check: "iam-actions",
        severity: "error",
        stack: "dev-cluster",
        resource: "resource.aws_iam_role_policy.x.policy",
        message: "s3:GetObjects is not a real action (expected an action from the AWS Service Authorization Reference)",
      },
    ]);
  });
});

describe("checkov's report as findings", () => {
  const failed = {
    stack: "dev-network",
    checkId: "CKV_AWS_130",
    checkName: "Ensure VPC subnets do not assign public IP by default",
    resource: "aws_subnet.public_eu_west_1a",
    guideline: "https://docs.prismacloud.io/x",
  };
  const stacks = new Map([
    [
      "dev-network",
      {
        resource: { aws_subnet: { public_eu_west_1a: {} }, aws_cloudwatch_log_group: { flow_logs: { name: "x" } } },
        data: { aws_iam_policy_document: { trust: {} } },
      },
    ],
  ]);
  const report = (failedChecks: (typeof failed)[], parsingErrors = 0) =>
    classifyCheckov({ passed: 10, parsingErrors, failedChecks }, stacks, () => []);

  it("become findings with the stack, the resource and the rule", () => {
    expect(checkovFindings(report([failed]), stacks)).toEqual([
      {
        check: "checkov",
        severity: "error",
        stack: "dev-network",
        resource: "aws_subnet.public_eu_west_1a",
        message: "CKV_AWS_130: Ensure VPC subnets do not assign public IP by default",
        rule: "CKV_AWS_130",
        helpUri: "https://docs.prismacloud.io/x",
      },
    ]);
  });

  it("name the resource by its full address when checkov leaves the type out", () => {
    expect(checkovFindings(report([{ ...failed, resource: "resource.flow_logs" }]), stacks)[0]!.resource).toBe(
      "aws_cloudwatch_log_group.flow_logs",
    );
    expect(checkovFindings(report([{ ...failed, resource: "data.trust" }]), stacks)[0]!.resource).toBe(
      "data.aws_iam_policy_document.trust",
    );
  });

  it("turn files checkov could not parse into a finding instead of a silent pass", () => {
    expect(checkovFindings(report([], 2), stacks)).toEqual([
      expect.objectContaining({ severity: "error", message: expect.stringMatching(/could not parse 2 stack file/) }),
    ]);
  });

  it("leave out what the skip list covers, and waivable checks only where the environment waives them", () => {
    const waivable = { ...failed, checkId: "CKV_AWS_338", checkName: "retention" };
    expect(checkovFindings(report([waivable]), stacks)).toHaveLength(1);
    expect(
      checkovFindings(
        classifyCheckov({ passed: 1, parsingErrors: 0, failedChecks: [waivable] }, stacks, () => ["CKV_AWS_338"]),
        stacks,
      ),
    ).toEqual([]);
  });
});

describe("formats", () => {
  it("text: one line per finding with its place", () => {
    expect(formatFindings({ checks, findings }, "text")).toBe(
      "2 finding(s) (iam-actions: 1, checkov: 1):\n" +
        "  error   iam-actions  dev-cluster resource.aws_iam_role_policy.x.policy: s3:GetObjects is not a real action\n" +
        "  error   checkov  dev-network aws_vpc.this: CKV2_AWS_11: Ensure VPC flow logging is enabled\n",
    );
    expect(formatFindings({ checks, findings: [] }, "text")).toBe("No findings (iam-actions, checkov).\n");
  });

  it("markdown: folded per check, linking checkov's guideline", () => {
    const md = formatFindings({ checks, findings }, "markdown");
    expect(md).toContain("<details><summary><code>checkov</code>: checkov policies (1)</summary>");
    expect(md).toContain(
      "| error | `dev-network` | `aws_vpc.this` | [CKV2_AWS_11: Ensure VPC flow logging is enabled](https://docs.example/ckv2_aws_11) |",
    );
  });

  it("SARIF 2.1.0: one run, rules referenced by index, a location per result", () => {
    const log = JSON.parse(formatFindings({ checks, findings }, "sarif", "1.2.3")) as any;
    expect(log).toMatchObject({ version: "2.1.0", $schema: expect.stringContaining("sarif-2.1.0") });
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0].tool;
    expect(driver).toMatchObject({ name: "shipyard-check", version: "1.2.3" });
    for (const result of log.runs[0].results) {
      expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(["error", "warning", "note"]).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^generated\/terraform\/dev-\w+\.tf\.json$/);
    }
    expect(log.runs[0].results[1].ruleId).toBe("checkov/CKV2_AWS_11");
    expect(sarif({ checks, findings: [] }, "1").runs).toEqual([expect.objectContaining({ results: [] })]);
  });
});
