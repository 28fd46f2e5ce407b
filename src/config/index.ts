export * from "./schema";
export * from "./errors";
export * from "./load";
export { TIER_DEFAULTS } from "./defaults";
export {
  crossEnvironmentIssues,
  scopedNames,
  type CrossEnvironmentIssue,
  type CrossEnvironmentOptions,
  type KeyPath,
} from "./cross-environment";
