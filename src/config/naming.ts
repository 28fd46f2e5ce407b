/**
 * Kubernetes names of the monitoring release that the generators and the stacks agree on. Names of AWS
 * resources several layers share (roles, Secrets Manager secrets, the SSM staging bucket) are defined
 * once, as functions of the `shipyard-<env>` prefix, in `modules/iam/naming.ts`.
 */

/** Namespace of kube-prometheus-stack (Prometheus, Alertmanager, Grafana): the module's own. */
export { MONITORING_NAMESPACE } from "../../modules/addons/kube-prometheus-stack/service-account";
/** Helm release name of kube-prometheus-stack; its services are named after it: the module's own. */
export { MONITORING_RELEASE } from "../../modules/addons/kube-prometheus-stack/service-account";
