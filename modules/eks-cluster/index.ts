export * from "./props";
export * from "./cluster";
export * from "./cluster-role";
export * from "./control-plane-logs";
export * from "./oidc";
export * from "./access";
export * from "./addons";
export * from "./service-accounts";
