/**
 * The ECR repository name rule shared by the config schema (src/config) and the ECR module, defined once. No
 * imports, so the config loader can use it without loading CDKTF.
 */

/** An ECR repository name: lower-case path components such as `team/service` (ECR also caps it at 256 characters). */
export const ECR_REPOSITORY_NAME = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
