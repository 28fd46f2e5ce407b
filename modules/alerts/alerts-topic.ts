import { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { ShipyardValidationError } from "../core";
import { denyInsecureTransport, principalArnForCondition, unique, validatePrincipalArns } from "../iam";

/** Topic actions a topic policy can name; all of them are TLS-only. */
export const TOPIC_ACTIONS: readonly string[] = [
  "sns:Publish",
  "sns:Subscribe",
  "sns:GetTopicAttributes",
  "sns:SetTopicAttributes",
  "sns:ListSubscriptionsByTopic",
  "sns:AddPermission",
  "sns:RemovePermission",
  "sns:DeleteTopic",
];

export interface AlertsTopicProps {
  /** Topic name, e.g. `shipyard-prod-alerts`. */
  readonly topicName: string;
  /** Customer key for messages at rest (its policy must let the publishers use it through SNS). */
  readonly kmsKeyArn: string;
  /**
   * The only principals that may publish: the Alertmanager role `shipyard-<env>-alertmanager`
   * (deterministic ARN, created by a later layer; named by `aws:PrincipalArn`).
   */
  readonly publisherRoleArns: readonly string[];
}

/**
 * The alerts topic that Alertmanager sends ticket-severity alerts to: encrypted with a customer key,
 * TLS-only, and publishable only by the named roles (an explicit deny overrides any IAM policy in the
 * account). Subscriptions are managed outside Terraform by the on-call tooling.
 */
export class AlertsTopic extends Construct {
  public readonly topicArn: string;
  public readonly topicName: string;

  constructor(scope: Construct, id: string, props: AlertsTopicProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(props.topicName)) {
      throw new ShipyardValidationError("topicName", `${props.topicName} is not a topic name (letters, digits, '-', '_')`);
    }
    if (!props.kmsKeyArn) throw new ShipyardValidationError("kmsKeyArn", "the topic is encrypted with a customer key");
    validatePrincipalArns("publisherRoleArns", props.publisherRoleArns, { minimum: 1 });
    const publishers = unique(props.publisherRoleArns.map(principalArnForCondition));
    const topic = new SnsTopic(this, "topic", { name: props.topicName, kmsMasterKeyId: props.kmsKeyArn, tags: { Name: props.topicName } });
    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        denyInsecureTransport(TOPIC_ACTIONS, [topic.arn]),
        {
          sid: "AllowPublishers",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["sns:Publish"],
          resources: [topic.arn],
          condition: [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: publishers }],
        },
        {
          sid: "DenyPublishToOthers",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["sns:Publish"],
          resources: [topic.arn],
          condition: [{ test: "ArnNotEqualsIfExists", variable: "aws:PrincipalArn", values: publishers }],
        },
      ],
    });
    new SnsTopicPolicy(this, "policy", { arn: topic.arn, policy: document.json });
    this.topicArn = topic.arn;
    this.topicName = topic.name;
  }
}
