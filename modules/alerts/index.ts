export * from "./alerts-topic";
