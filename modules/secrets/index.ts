export * from "./names";
export * from "./secrets";
