export * from "./repository";
export * from "./repositories";
