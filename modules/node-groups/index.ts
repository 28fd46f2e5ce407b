export * from "./props";
export * from "./user-data";
export * from "./node-role";
export * from "./node-group";
export * from "./node-groups";
