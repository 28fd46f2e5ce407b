import type { ServiceAccountRef } from "../../core/service-account";

/** Velero's namespace and the service account of its server: the one its IRSA role trusts. */
export const VELERO_SERVICE_ACCOUNT = { namespace: "velero", serviceAccount: "velero-server" } as const satisfies ServiceAccountRef;
