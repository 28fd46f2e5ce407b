/**
 * Rules of a Velero backup schedule shared by the config schema (src/config) and the Velero module, defined
 * once. No imports, so the config loader can use them without loading CDKTF.
 */

/** A schedule name: it names the Velero Schedule object and prefixes its backups. */
export const BACKUP_SCHEDULE_NAME = /^[a-z][a-z0-9-]{0,40}$/;

/** A five-field cron expression (minute hour day-of-month month day-of-week), in the cluster's time zone (UTC). */
export const FIVE_FIELD_CRON = /^(\S+\s+){4}\S+$/;
