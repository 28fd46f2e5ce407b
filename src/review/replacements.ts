/**
 * Attributes that force Terraform to replace (destroy and re-create) a resource when they change, for
 * every resource type Shipyard emits: from the providers' schemas (`ForceNew`, or the Kubernetes
 * provider's immutable object identity). A path names an attribute or a nested block attribute
 * (`kubernetes_network_config.service_ipv4_cidr`), without list indexes; a change at or below it
 * forces replacement. A type listed with no attributes is updated in place whatever changes.
 *
 * `__tests__/review/replacements.test.ts` checks every entry against the provider's own type
 * definitions and that every type in `generated/` has an entry.
 */
export const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  // network
  aws_vpc: ["cidr_block"],
  aws_subnet: ["vpc_id", "cidr_block", "availability_zone", "availability_zone_id"],
  aws_internet_gateway: [],
  aws_eip: ["domain", "network_border_group"],
  aws_nat_gateway: ["allocation_id", "subnet_id", "connectivity_type", "private_ip"],
  aws_route: ["route_table_id", "destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"],
  aws_route_table: ["vpc_id"],
  aws_route_table_association: ["subnet_id", "gateway_id"],
  aws_default_security_group: ["vpc_id"],
  aws_security_group: ["name", "name_prefix", "description", "vpc_id"],
  aws_vpc_security_group_ingress_rule: ["security_group_id"],
  aws_vpc_endpoint: ["vpc_id", "service_name", "vpc_endpoint_type"],
  aws_ec2_transit_gateway_vpc_attachment: ["transit_gateway_id", "vpc_id"],
  aws_flow_log: [
    "vpc_id",
    "iam_role_arn",
    "log_destination",
    "log_destination_type",
    "log_format",
    "traffic_type",
    "max_aggregation_interval",
    "destination_options",
  ],
  aws_cloudwatch_log_group: ["name", "name_prefix"],
  // cluster
  aws_eks_cluster: [
    "name",
    "role_arn",
    "bootstrap_self_managed_addons",
    "kubernetes_network_config.service_ipv4_cidr",
    "kubernetes_network_config.ip_family",
    "access_config.bootstrap_cluster_creator_admin_permissions",
  ],
  aws_eks_node_group: [
    "cluster_name",
    "node_group_name",
    "node_group_name_prefix",
    "node_role_arn",
    "subnet_ids",
    "instance_types",
    "capacity_type",
    "ami_type",
    "disk_size",
    "remote_access",
    "launch_template.id",
    "launch_template.name",
  ],
  aws_eks_addon: ["cluster_name", "addon_name"],
  aws_eks_access_entry: ["cluster_name", "principal_arn", "type"],
  aws_eks_access_policy_association: ["cluster_name", "principal_arn", "policy_arn"],
  aws_launch_template: ["name", "name_prefix"],
  aws_autoscaling_group_tag: ["autoscaling_group_name", "tag"],
  aws_iam_openid_connect_provider: ["url"],
  // iam
  aws_iam_role: ["name", "name_prefix", "path"],
  aws_iam_policy: ["name", "name_prefix", "path", "description"],
  aws_iam_role_policy: ["name", "name_prefix", "role"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  // foundation
  aws_kms_key: ["customer_master_key_spec", "key_usage", "multi_region"],
  aws_kms_alias: ["name", "name_prefix"],
  aws_s3_bucket: ["bucket", "bucket_prefix", "object_lock_enabled"],
  aws_s3_bucket_lifecycle_configuration: ["bucket", "expected_bucket_owner"],
  aws_s3_bucket_ownership_controls: ["bucket"],
  aws_s3_bucket_policy: ["bucket"],
  aws_s3_bucket_public_access_block: ["bucket"],
  aws_s3_bucket_server_side_encryption_configuration: ["bucket", "expected_bucket_owner"],
  aws_s3_bucket_versioning: ["bucket", "expected_bucket_owner"],
  aws_secretsmanager_secret: ["name", "name_prefix"],
  aws_secretsmanager_secret_policy: ["secret_arn"],
  aws_sns_topic: ["name", "name_prefix", "fifo_topic"],
  aws_sns_topic_policy: ["arn"],
  aws_cloudtrail: ["name"],
  aws_ecr_repository: ["name"],
  aws_ecr_lifecycle_policy: ["repository"],
  aws_ecr_repository_policy: ["repository"],
  // kubernetes layer: an object's identity is its name and namespace
  helm_release: ["name", "namespace"],
  kubernetes_annotations: ["api_version", "kind", "metadata.name", "metadata.namespace"],
  kubernetes_manifest: ["manifest.apiVersion", "manifest.kind", "manifest.metadata.name", "manifest.metadata.namespace"],
  kubernetes_namespace_v1: ["metadata.name"],
  kubernetes_storage_class_v1: [
    "metadata.name",
    "storage_provisioner",
    "parameters",
    "reclaim_policy",
    "volume_binding_mode",
    "mount_options",
  ],
  kubernetes_cluster_role_binding_v1: ["metadata.name", "role_ref"],
  kubernetes_role_binding_v1: ["metadata.name", "metadata.namespace", "role_ref"],
  kubernetes_role_v1: ["metadata.name", "metadata.namespace"],
  kubernetes_limit_range_v1: ["metadata.name", "metadata.namespace"],
  kubernetes_resource_quota_v1: ["metadata.name", "metadata.namespace"],
  kubernetes_network_policy_v1: ["metadata.name", "metadata.namespace"],
  kubernetes_config_map_v1: ["metadata.name", "metadata.namespace"],
  kubernetes_deployment_v1: ["metadata.name", "metadata.namespace", "spec.selector"],
  kubernetes_horizontal_pod_autoscaler_v2: ["metadata.name", "metadata.namespace"],
  kubernetes_ingress_v1: ["metadata.name", "metadata.namespace"],
  kubernetes_pod_disruption_budget_v1: ["metadata.name", "metadata.namespace"],
  kubernetes_service_account_v1: ["metadata.name", "metadata.namespace"],
  kubernetes_service_v1: ["metadata.name", "metadata.namespace"],
  // Terraform Cloud (bootstrap layer).
  tfe_project: ["organization"],
  tfe_team: ["organization"],
  tfe_team_access: ["team_id", "workspace_id"],
  tfe_workspace: ["organization"],
  tfe_workspace_settings: ["workspace_id"],
};

/** Drops list indexes: `vpc_config[0].subnet_ids[1]` → `vpc_config.subnet_ids`. */
export function schemaPath(path: string): string {
  return path.replace(/\[\d+\]/g, "");
}

/** The table's attribute that a change at `path` of a `type` falls under, if it forces replacement. */
export function forcesReplacement(type: string, path: string): string | undefined {
  const normalized = schemaPath(path);
  return (FORCES_REPLACEMENT[type] ?? []).find((attr) => normalized === attr || normalized.startsWith(`${attr}.`));
}
