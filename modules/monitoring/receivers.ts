/**
 * Rules of Alertmanager's routes and receivers shared by the config schema (src/config) and the monitoring
 * module, defined once. No imports, so the config loader can use them without loading the rule generators.
 */

/** A Slack channel: `#` and 1-80 of a-z, 0-9, '_' and '-'. */
export const SLACK_CHANNEL = /^#[a-z0-9_-]{1,80}$/;

/** An https URL without query string, fragment or user info: a secret never hides in it. */
export const HTTPS_URL_WITHOUT_SECRETS = /^https:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/;

/** A Prometheus alert name (the `alertname` label): a metric-name-like identifier. */
export const ALERT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
