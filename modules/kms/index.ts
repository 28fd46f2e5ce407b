export * from "./customer-key";
export * from "./platform-keys";
