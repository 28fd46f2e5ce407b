export * from "./naming";
export * from "./policy";
