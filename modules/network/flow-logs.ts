import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";

export interface VpcFlowLogsProps {
  /** Name prefix, `shipyard-<env>`: the log group is `/aws/vpc/<name>/flow-logs`. */
  readonly name: string;
  /** VPC whose traffic is logged. */
  readonly vpcId: string;
  /** AWS account id (12 digits): only this account's flow-log service may assume the role. */
  readonly accountId: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** Retention of the log group, in days. */
  readonly logRetentionDays: number;
  /** Customer key that encrypts the log group; its policy must allow CloudWatch Logs. */
  readonly kmsKeyArn: string;
  /** @default "ALL" */
  readonly trafficType?: "ALL" | "ACCEPT" | "REJECT";
  /** @default none */
  readonly permissionsBoundaryArn?: string;
}

/** VPC flow logs into a KMS-encrypted log group, delivered by a role only the VPC flow-log service of this account can assume. */
export class VpcFlowLogs extends Construct {
  public readonly logGroupName: string;
  public readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const group = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/vpc/${props.name}/flow-logs`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }],
          // Confused-deputy guard: only flow logs of this account may use the role.
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:aws:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`] },
          ],
        },
      ],
    });
    const role = new IamRole(this, "role", {
      name: `${props.name}-vpc-flow-logs`,
      assumeRolePolicy: trust.json,
      permissionsBoundary: props.permissionsBoundaryArn,
    });
    const delivery = new DataAwsIamPolicyDocument(this, "delivery", {
      statement: [
        {
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [`${group.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, "delivery-policy", { name: "deliver-flow-logs", role: role.id, policy: delivery.json });
    new FlowLog(this, "flow-log", {
      vpcId: props.vpcId,
      trafficType: props.trafficType ?? "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: `${props.name}-flow-logs` },
    });
    this.logGroupName = group.name;
    this.logGroupArn = group.arn;
  }
}
