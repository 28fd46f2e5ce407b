export * from "./naming";
export * from "./policy";
export * from "./boundary";
export * from "./deployer-role";
export * from "./scopes";
