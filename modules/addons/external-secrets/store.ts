/**
 * The ClusterSecretStore the External Secrets module creates and every ExternalSecret of Shipyard reads
 * from (the platform's, the workloads', Jenkins'), and the API version they are written in. No imports, so
 * the workload module's pure settings functions can use them without loading CDKTF.
 */

/** API version of ExternalSecret / ClusterSecretStore served by External Secrets 2.x. */
export const EXTERNAL_SECRETS_API_VERSION = "external-secrets.io/v1";

/** The store every ExternalSecret of Shipyard references. */
export const CLUSTER_SECRET_STORE = "aws-secrets-manager";

/** A `secretStoreRef` to that store. */
export const CLUSTER_SECRET_STORE_REF = { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE } as const;
