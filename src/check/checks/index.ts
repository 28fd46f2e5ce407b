import type { ShipyardCheck } from "../types";
import { checkovCheck } from "./checkov";
import { crossEnvironmentCheck } from "./cross-environment";
import { deployerCheck, trustCheck } from "./deployer";
import { iamActionsCheck } from "./iam-actions";

/** Every check `shipyard check` runs, in this order. A new check: its file here, and one line below. */
export const CHECKS: readonly ShipyardCheck[] = [iamActionsCheck, crossEnvironmentCheck, trustCheck, deployerCheck, checkovCheck];
