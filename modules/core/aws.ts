/**
 * Shapes of AWS identifiers shared by the config schema (src/config) and the modules, defined once. No
 * imports, so the config loader can use them without loading CDKTF.
 */

/** An AWS region such as `eu-west-1` (GovCloud: `us-gov-west-1`). */
export const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** A 12-digit AWS account id. */
export const AWS_ACCOUNT_ID = /^\d{12}$/;

/** An IAM role name: up to 64 of letters, digits and `+=,.@_-`. */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
