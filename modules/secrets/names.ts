/**
 * Rules of a Secrets Manager secret shared by the config schema (src/config) and the modules, defined once.
 * No imports, so the config loader can use them without loading CDKTF.
 */

/** A secret's short name (the part after the `shipyard-<env>/` prefix): a-z, 0-9 and '-', 2-63 characters. */
export const SECRET_NAME = /^[a-z][a-z0-9-]{1,62}$/;

/**
 * A JSON key of a secret's value: what an ExternalSecret reads (`property`) and the workload turns into an
 * environment variable.
 */
export const SECRET_VALUE_KEY = /^[A-Za-z0-9_.-]+$/;
