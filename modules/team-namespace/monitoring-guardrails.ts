import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import { LABEL_KEY, ShipyardValidationError } from "../core";

export interface TeamMonitoringGuardrailsProps {
  /** Namespace label naming the owning team; the policy applies to namespaces that carry it. @default "shipyard.io/team" */
  readonly teamLabel?: string;
  /** @default "shipyard-team-monitoring" */
  readonly name?: string;
}

/** CEL: every scrape endpoint of a ServiceMonitor (`endpoints`) or PodMonitor (`podMetricsEndpoints`) satisfies `check`. */
const everyEndpoint = (check: string) =>
  `(object.kind != 'ServiceMonitor' || !has(object.spec.endpoints) || object.spec.endpoints.all(e, ${check})) && ` +
  `(object.kind != 'PodMonitor' || !has(object.spec.podMetricsEndpoints) || object.spec.podMetricsEndpoints.all(e, ${check}))`;

/** The validations, each with the message a team sees when its object is refused. */
export const MONITORING_GUARDRAILS: readonly { readonly expression: string; readonly message: string }[] = [
  {
    expression: everyEndpoint("!has(e.honorLabels) || !e.honorLabels"),
    message: "honorLabels: true is refused in team namespaces (scraped series could claim another namespace or job)",
  },
  {
    expression: everyEndpoint(
      "!has(e.bearerTokenFile) && (!has(e.tlsConfig) || (!has(e.tlsConfig.caFile) && !has(e.tlsConfig.certFile) && !has(e.tlsConfig.keyFile)))",
    ),
    message:
      "files of the Prometheus container (bearerTokenFile, tlsConfig caFile/certFile/keyFile) are refused in team namespaces; use Secret references",
  },
  {
    expression:
      "(object.kind != 'ServiceMonitor' && object.kind != 'PodMonitor') || !has(object.spec.namespaceSelector) || " +
      "((!has(object.spec.namespaceSelector.any) || !object.spec.namespaceSelector.any) && " +
      "(!has(object.spec.namespaceSelector.matchNames) || object.spec.namespaceSelector.matchNames.all(n, n == namespaceObject.metadata.name)))",
    message: "a team monitor may only select targets in its own namespace",
  },
  {
    expression:
      "object.kind != 'PrometheusRule' || !has(object.spec.groups) || object.spec.groups.all(g, !has(g.rules) || g.rules.all(r, !has(r.alert) || " +
      "(has(r.labels) && 'team' in r.labels && r.labels['team'] == variables.team)))",
    message:
      "every alerting rule in a team namespace must carry the label team=<the namespace's team> (alerts route by team; no rule may notify another team)",
  },
];

/**
 * A ValidatingAdmissionPolicy (and its binding, Deny) on the Prometheus Operator objects of team namespaces:
 * no honor_labels, no files of the Prometheus container, no targets outside the namespace, and alerting rules
 * labelled with the namespace's own team. With Prometheus' `enforcedNamespaceLabel`, a team's monitors and
 * rules see and produce only series of their own namespace, and its alerts reach only its own receivers.
 */
export class TeamMonitoringGuardrails extends Construct {
  public readonly policyName: string;

  constructor(scope: Construct, id: string, props: TeamMonitoringGuardrailsProps = {}) {
    super(scope, id);
    const label = props.teamLabel ?? "shipyard.io/team";
    if (!LABEL_KEY.test(label)) throw new ShipyardValidationError("teamLabel", `"${label}" is not a label key`);
    this.policyName = props.name ?? "shipyard-team-monitoring";
    const policy = new Manifest(this, "policy", {
      manifest: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: this.policyName },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: ["monitoring.coreos.com"],
                apiVersions: ["*"],
                operations: ["CREATE", "UPDATE"],
                resources: ["servicemonitors", "podmonitors", "prometheusrules"],
              },
            ],
          },
          variables: [{ name: "team", expression: `namespaceObject.metadata.labels['${label}']` }],
          validations: MONITORING_GUARDRAILS.map((v) => ({ expression: v.expression, message: v.message })),
        },
      },
    });
    new Manifest(this, "binding", {
      manifest: {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: this.policyName },
        spec: {
          policyName: this.policyName,
          validationActions: ["Deny"],
          matchResources: { namespaceSelector: { matchExpressions: [{ key: label, operator: "Exists" }] } },
        },
      },
      dependsOn: [policy],
    });
  }
}
