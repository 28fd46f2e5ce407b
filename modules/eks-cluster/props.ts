/** The five control-plane log types; all of them are always on. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** EKS access policies Shipyard associates, by short name. */
export const ACCESS_POLICIES = {
  clusterAdmin: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
  adminView: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy",
  view: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
  edit: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
} as const;

export interface NamespaceEditors {
  /** Team name; its principals join the Kubernetes group `team-<team>`. */
  readonly team: string;
  /**
   * Namespaces the team edits. Only through the team's RBAC Role (the Kubernetes group `team-<team>`): no EKS
   * access policy is associated, since EKS allows what either allows and every managed policy is wider.
   */
  readonly namespaces: readonly string[];
  /** IAM principals of the team. */
  readonly principalArns: readonly string[];
}

export interface ClusterAccessProps {
  /** Principals with AmazonEKSClusterAdminPolicy on the whole cluster. At least one. */
  readonly adminArns: readonly string[];
  /**
   * The deployer role (Jenkins, Helm releases in the platform and workloads layers); cluster admin, since it
   * installs cluster-wide objects and CRDs.
   */
  readonly deployerRoleArn: string;
  /** Principals with cluster-wide read access. @default none */
  readonly viewerArns?: readonly string[];
  /** Kubernetes group the viewers join (RBAC in the platform layer binds it). @default "shipyard-viewers" */
  readonly viewerGroup?: string;
  /**
   * `view` (AmazonEKSViewPolicy: no Secrets) or `admin-view` (AmazonEKSAdminViewPolicy: reads Secrets too).
   * @default "view"
   */
  readonly viewerPolicy?: "view" | "admin-view";
  /** Per-team namespace editors. @default none */
  readonly namespaceEditors?: readonly NamespaceEditors[];
}

export interface EksClusterProps {
  /** Cluster name, e.g. `shipyard-prod`; also the prefix of the role and security group names. */
  readonly name: string;
  /** Kubernetes minor version on EKS standard support, e.g. `1.36`. */
  readonly version: string;
  /** AWS account id (12 digits) of the environment. */
  readonly accountId: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** VPC the cluster's network interfaces and security group live in. */
  readonly vpcId: string;
  /** VPC CIDR: the only network allowed to reach the private endpoint by default. */
  readonly vpcCidr: string;
  /** Private subnets for the control-plane network interfaces (at least two zones). */
  readonly subnetIds: readonly string[];
  /** Who may reach the API endpoint. @default private endpoint only, from the VPC */
  readonly endpoint?: {
    /**
     * Public API endpoint. Off unless asked for; when on, `publicCidrs` is required and `0.0.0.0/0` is refused.
     * @default false
     */
    readonly public?: boolean;
    /** Networks allowed to reach the public endpoint. @default [] */
    readonly publicCidrs?: readonly string[];
    /** Extra networks (VPN, CI runners) allowed to reach the private endpoint on 443. @default [] */
    readonly privateCidrs?: readonly string[];
  };
  /** Customer key for envelope encryption of Kubernetes Secrets. */
  readonly secretsKmsKeyArn: string;
  /** Customer key of the control-plane log group; its policy must allow CloudWatch Logs. */
  readonly logsKmsKeyArn: string;
  /** Retention of the control-plane log group, in days. */
  readonly logRetentionDays: number;
  /** Permissions boundary attached to the cluster role. */
  readonly permissionsBoundaryArn: string;
  /** Refuse `DeleteCluster` until turned off. @default true */
  readonly deletionProtection?: boolean;
  /** Service CIDR of the cluster (Kubernetes Services); must not overlap the VPC. @default "172.20.0.0/16" */
  readonly serviceCidr?: string;
  /** Access entries: administrators, viewers, team namespace editors and the deployer role. */
  readonly access: ClusterAccessProps;
}

export const DEFAULT_SERVICE_CIDR = "172.20.0.0/16";
export const DEFAULT_VIEWER_GROUP = "shipyard-viewers";
