import { Fn } from "cdktf";
import { Construct } from "constructs";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";

export interface ClusterOidcProps {
  /** The cluster's issuer URL (`identity[0].oidc[0].issuer`), with its `https://` scheme. */
  readonly issuerUrl: string;
}

/**
 * The IAM OIDC provider for IRSA. No thumbprint is pinned: IAM verifies the EKS issuer against its own
 * trusted root CAs, and `thumbprint_list` is optional in the AWS provider since 5.x (it stays computed).
 * That also means no `tls` provider and no network call at plan time.
 */
export class ClusterOidc extends Construct {
  public readonly providerArn: string;
  /** Issuer URL with the scheme, e.g. `https://oidc.eks.eu-west-1.amazonaws.com/id/ABC`. */
  public readonly issuerUrl: string;
  /** Issuer without the scheme: the prefix of the `:sub` and `:aud` condition keys. */
  public readonly issuer: string;

  constructor(scope: Construct, id: string, props: ClusterOidcProps) {
    super(scope, id);
    const provider = new IamOpenidConnectProvider(this, "provider", {
      url: props.issuerUrl,
      clientIdList: ["sts.amazonaws.com"],
    });
    this.providerArn = provider.arn;
    this.issuerUrl = props.issuerUrl;
    this.issuer = Fn.replace(props.issuerUrl, "https://", "");
  }
}
