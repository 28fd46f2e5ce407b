/**
 * Bounds shared by the config schema (src/config) and the workload module, defined once. No imports, so
 * the config loader can use them without loading CDKTF.
 */

/** Seconds between SIGTERM and SIGKILL: the application's drain budget. */
export const TERMINATION_GRACE_SECONDS = { default: 30, min: 5, max: 600 } as const;

/** preStop `sleep` before SIGTERM, while the ALB and kube-proxy stop sending traffic (0: no preStop hook). */
export const PRE_STOP_SLEEP_SECONDS = { default: 10, min: 0, max: 120 } as const;
