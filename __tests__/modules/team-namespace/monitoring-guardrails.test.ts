import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { MONITORING_GUARDRAILS, TeamMonitoringGuardrails } from "../../../modules/team-namespace";

function manifests() {
  const json = JSON.parse(Testing.synthScope((s) => new TeamMonitoringGuardrails(s, "g"))) as {
    resource: { kubernetes_manifest: Record<string, { manifest: any }> };
  };
  return Object.values(json.resource.kubernetes_manifest).map((m) => m.manifest);
}

describe("TeamMonitoringGuardrails", () => {
  it("denies, in namespaces labelled with a team, monitoring objects that break the tenancy", () => {
    const all = manifests();
    const policy = all.find((m) => m.kind === "ValidatingAdmissionPolicy");
    const binding = all.find((m) => m.kind === "ValidatingAdmissionPolicyBinding");
    expect(policy.kind).toBe("ValidatingAdmissionPolicy");
    expect(policy.spec.failurePolicy).toBe("Fail");
    expect(policy.spec.matchConstraints.resourceRules[0].resources).toEqual(["servicemonitors", "podmonitors", "prometheusrules"]);
    expect(policy.spec.variables).toEqual([{ name: "team", expression: "namespaceObject.metadata.labels['shipyard.io/team']" }]);
    expect(binding).toMatchObject({
      kind: "ValidatingAdmissionPolicyBinding",
      spec: {
        policyName: "shipyard-team-monitoring",
        validationActions: ["Deny"],
        matchResources: { namespaceSelector: { matchExpressions: [{ key: "shipyard.io/team", operator: "Exists" }] } },
      },
    });
  });

  it("covers honor labels, file access, foreign namespaces and alerts routed to another team", () => {
    const all = MONITORING_GUARDRAILS.map((v) => v.expression).join("\n");
    expect(all).toContain("e.honorLabels");
    expect(all).toContain("e.bearerTokenFile");
    expect(all).toContain("e.tlsConfig.caFile");
    expect(all).toContain("object.spec.namespaceSelector.any");
    expect(all).toContain("r.labels['team'] == variables.team");
    for (const v of MONITORING_GUARDRAILS) expect(v.message.length).toBeGreaterThan(20);
  });
});
