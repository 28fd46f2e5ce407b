import { cidrSubnet } from "../../modules/core/cidr";

/**
 * The default subnet plan: private subnets take most of the space (nodes and pods get VPC addresses
 * through the VPC CNI), public subnets only hold load balancers and NAT gateways.
 * Up to 3 zones: private = quarters 0-2, public = /+4 networks in the last quarter.
 * 4 to 6 zones: private = eighths 0-5, public = /+5 networks in the last quarter.
 */
export function defaultSubnets(vpcCidr: string, azCount: number): { public: string[]; private: string[] } {
  const zones = [...Array(azCount).keys()];
  if (azCount <= 3) {
    return {
      private: zones.map((i) => cidrSubnet(vpcCidr, 2, i)),
      public: zones.map((i) => cidrSubnet(vpcCidr, 4, 12 + i)),
    };
  }
  return {
    private: zones.map((i) => cidrSubnet(vpcCidr, 3, i)),
    public: zones.map((i) => cidrSubnet(vpcCidr, 5, 24 + i)),
  };
}
