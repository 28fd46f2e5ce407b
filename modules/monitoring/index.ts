export * from "./types";
export * from "./util";
export * from "./slo";
export * from "./platform";
export * from "./alertmanager";
export * from "./receivers";
export * from "./promtool-tests";
export * from "./dashboards";
