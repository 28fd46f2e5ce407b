export * from "./aws";
export * from "./errors";
export * from "./names";
export * from "./service-account";
