export * from "./audit-trail";
