import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";

export interface ControlPlaneLogsProps {
  /** Cluster name; EKS writes to `/aws/eks/<cluster>/cluster` and nowhere else. */
  readonly clusterName: string;
  /** Retention of the log group, in days. */
  readonly logRetentionDays: number;
  /** Customer key; its policy must allow CloudWatch Logs in this region. */
  readonly kmsKeyArn: string;
}

/**
 * The control-plane log group, created before the cluster: if EKS created it first it would have no
 * retention and no customer key, and Terraform would then fail to adopt it.
 */
export class ControlPlaneLogs extends Construct {
  public readonly logGroup: CloudwatchLogGroup;
  public readonly logGroupName: string;
  public readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: ControlPlaneLogsProps) {
    super(scope, id);
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.logGroupName = this.logGroup.name;
    this.logGroupArn = this.logGroup.arn;
  }
}
