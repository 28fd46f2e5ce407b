/**
 * Version formats shared by the config schema (src/config) and the EKS cluster module, defined once. No
 * imports, so the config loader can use them without loading CDKTF.
 */

/** A Kubernetes minor version as EKS takes it, e.g. `1.33`. */
export const KUBERNETES_MINOR_VERSION = /^1\.\d{2}$/;

/** An EKS managed add-on version, e.g. `v1.19.5-eksbuild.1`. */
export const EKS_ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
