export * from "./names";
export * from "./repository";
export * from "./repositories";
