/**
 * The Jenkins plugin rule shared by the config schema (src/config) and the Jenkins module, defined once. No
 * imports, so the config loader can use it without loading CDKTF.
 */

/** `name:version` with an exact version: `latest`, `experimental` and ranges are refused. */
export const EXACT_PLUGIN = /^[A-Za-z0-9][\w.-]*:(?!latest$|experimental$)\d[\w.+-]*$/;
