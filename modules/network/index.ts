export * from "./props";
export * from "./network";
export * from "./flow-logs";
export * from "./endpoints";
export * from "./connected-network";
