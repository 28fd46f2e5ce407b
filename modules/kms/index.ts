export * from "./customer-key";
export * from "./platform-keys";
export * from "./audit-key";
