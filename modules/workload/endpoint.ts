/**
 * Rules of an application's HTTP endpoint shared by the config schema (src/config) and the workload module,
 * defined once. No imports, so the config loader can use them without loading CDKTF.
 */

/** An absolute HTTP path: probes, the metrics path and the ingress path, e.g. `/healthz`. */
export const HTTP_PATH = /^\/[\w./-]*$/;

/** An ACM certificate ARN (region, account and the certificate's UUID), for the ingress's HTTPS listener. */
export const ACM_CERTIFICATE_ARN = /^arn:aws(-[a-z]+)?:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
