/** The IAM action list and policy walker live in the library, so `shipyard check` and these tests share them. */
export * from "../../src/check/iam-actions";
