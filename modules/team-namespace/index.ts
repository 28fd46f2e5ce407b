export * from "./props";
export * from "./team-namespace";
export * from "./viewers";
export * from "./monitoring-guardrails";
