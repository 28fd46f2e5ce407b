export * from "./props";
export * from "./workload";
export * from "./validate";
export * from "./quantity";
export * from "./settings";
export * from "./limits";
