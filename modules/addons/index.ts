export * from "./release";
export * from "./kube-prometheus-stack";
export * from "./aws-load-balancer-controller";
export * from "./cluster-autoscaler";
export * from "./metrics-server";
export * from "./external-secrets";
export * from "./velero";
export * from "./jenkins";
