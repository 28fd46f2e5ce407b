import { crossEnvironmentIssues } from "../../config";
import type { Finding, ShipyardCheck } from "../types";

/** Conflicts between environments (CIDRs, account-scoped names, ARNs from the wrong account or region): the rules `validate` applies. */
export const crossEnvironmentCheck: ShipyardCheck = {
  id: "cross-environment",
  title: "no conflicts between environments",
  run(ctx) {
    return crossEnvironmentIssues(ctx.envs).map((issue): Finding => ({
      check: this.id,
      severity: "error",
      resource: `environments/${issue.env}.yaml:${issue.path.join(".")}`,
      message: issue.message,
    }));
  },
};
