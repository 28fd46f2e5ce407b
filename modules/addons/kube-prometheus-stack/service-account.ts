import type { ServiceAccountRef } from "../../core/service-account";

/** Namespace of kube-prometheus-stack (Prometheus, Alertmanager, Grafana). */
export const MONITORING_NAMESPACE = "monitoring";

/** Helm release name of kube-prometheus-stack; its services (`<release>-prometheus`, `<release>-grafana`) are named after it. */
export const MONITORING_RELEASE = "kube-prometheus-stack";

/** Alertmanager's default service account: the one its IRSA role trusts. */
export const ALERTMANAGER_SERVICE_ACCOUNT = {
  namespace: MONITORING_NAMESPACE,
  serviceAccount: "alertmanager",
} as const satisfies ServiceAccountRef;
