import type { ShipyardCheck } from "../types";
import { checkovCheck } from "./checkov";
import { iamActionsCheck } from "./iam-actions";

/** Every check `shipyard check` runs, in this order. A new check: its file here, and one line below. */
export const CHECKS: readonly ShipyardCheck[] = [
  iamActionsCheck,
  checkovCheck,
];
