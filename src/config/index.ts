export * from "./schema";
export * from "./errors";
export * from "./load";
export { TIER_DEFAULTS } from "./defaults";
