import type { Dashboard } from "./builder";
import { capacityDashboard } from "./capacity";
import { nodesDashboard } from "./nodes";
import { serviceDashboard } from "./service";

export * from "./builder";
export * from "./capacity";
export * from "./nodes";
export * from "./service";

/** Every Shipyard dashboard with its default uid, in a fixed order. */
export function dashboards(): Dashboard[] {
  return [serviceDashboard(), capacityDashboard(), nodesDashboard()];
}
