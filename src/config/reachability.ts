import type { EnvironmentInput } from "./schema/environment";
import { contains, overlaps, parseNetwork } from "../../modules/core/cidr";

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

const CI: Path = ["cluster", "endpoint", "ci"];

/** What `cluster.endpoint.ci` may say, for messages. */
const FORMS =
  "cluster.endpoint.ci with via: peering or transit-gateway and the CI network's cidrs, via: public with the CI egress cidrs inside cluster.endpoint.publicCidrs, or via: agent-pool";

/**
 * The platform and workloads layers talk to the Kubernetes API while they are planned, from wherever
 * plans run (the Jenkins deploy agents, or Terraform Cloud's agents). Refuses an environment whose API
 * those plans could not reach, and says why.
 */
export function checkApiReachability(env: EnvironmentInput, report: Report): void {
  const { endpoint } = env.cluster;
  const ci = endpoint.ci;
  if (!ci) {
    const why = endpoint.public
      ? "does not say where plans of the platform and workloads layers run or how they reach the API server"
      : "is missing: plans of the platform and workloads layers run outside the VPC (Jenkins agents, Terraform Cloud) and the API endpoint is private-only, so they could not reach it";
    report(CI, `${why} (expected ${FORMS})`);
    return;
  }
  if (ci.via === "agent-pool") {
    if (env.state.backend !== "cloud") {
      report(
        [...CI, "via"],
        `a Terraform Cloud agent pool runs plans only for workspaces in Terraform Cloud, but state.backend is ${env.state.backend} (expected state.backend: cloud, or another way to reach the API)`,
      );
    }
    return;
  }
  ci.cidrs.forEach((cidr, i) => {
    if (parseNetwork(cidr).prefix === 0)
      report([...CI, "cidrs", i], `${cidr} is every network, not the CI network (expected the networks plans run from)`);
  });
  if (ci.via === "public") {
    if (!endpoint.public) {
      report(
        [...CI, "via"],
        "plans would use the public endpoint, which is off (expected cluster.endpoint.public: true with publicCidrs that contain the CI cidrs, or via: peering, transit-gateway or agent-pool)",
      );
      return;
    }
    ci.cidrs.forEach((cidr, i) => {
      if (parseNetwork(cidr).prefix === 0) return;
      if (!endpoint.publicCidrs.some((allowed) => contains(allowed, cidr))) {
        report(
          [...CI, "cidrs", i],
          `${cidr} is not inside cluster.endpoint.publicCidrs (${endpoint.publicCidrs.join(", ") || "none"}), so plans from there could not reach the public endpoint (expected a network within cluster.endpoint.publicCidrs)`,
        );
      }
    });
    return;
  }
  if (!endpoint.private) return; // refused on its own (the private endpoint must stay on)
  ci.cidrs.forEach((cidr, i) => {
    if (parseNetwork(cidr).prefix === 0) return;
    if (overlaps(cidr, env.network.cidr)) {
      report(
        [...CI, "cidrs", i],
        `${cidr} overlaps network.cidr ${env.network.cidr}: a ${ci.via === "peering" ? "peering connection" : "transit gateway route"} cannot join overlapping networks (expected the CI network's own addresses, outside this VPC)`,
      );
    }
  });
}
