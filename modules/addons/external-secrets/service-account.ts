import type { ServiceAccountRef } from "../../core/service-account";

/** The operator's default namespace and service account: the one its IRSA role trusts. */
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = {
  namespace: "external-secrets",
  serviceAccount: "external-secrets",
} as const satisfies ServiceAccountRef;
