import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { JENKINS_CHART, JenkinsController, type JenkinsControllerProps } from "../../../modules/addons";
import { ShipyardValidationError } from "../../../modules/core";
import { expectSafeRelease, release, releaseValues, synth, type SynthJson } from "./helpers";

/** The upstream chart's own values, read in place (never copied into the repository). */
const UPSTREAM = path.join(__dirname, "..", "..", "..", "..", "shared", "charts", `jenkins-${JENKINS_CHART.version}`, "values.yaml");

const base: JenkinsControllerProps = {
  hostname: "jenkins.tools.example.com",
  webhookHostname: "jenkins-hooks.example.com",
  certificateArn: "arn:aws:acm:eu-west-1:999999999999:certificate/5d2b8e4f-1a3c-4b6d-9e8f-0a1b2c3d4e5f",
  plugins: ["kubernetes:4540.v612369217f87", "git:5.10.1"],
  casc: { shipyard: "jenkins:\n  numExecutors: 0\n" },
  storageClassName: "gp3-encrypted",
  credentials: [
    { id: "github-app", remoteKey: "shipyard-tools/jenkins-github-app", type: "gitHubApp", appId: "912345", description: "GitHub App" },
    { id: "slack-bot-token", remoteKey: "shipyard-tools/jenkins-slack", type: "secretText", description: "Slack" },
  ],
  cascSecrets: [{ name: "jenkins-oidc-client", remoteKey: "shipyard-tools/jenkins-oidc-client", key: "text" }],
  agentServiceAccounts: [
    { name: "jenkins-agent-build" },
    { name: "jenkins-agent-deploy", roleArn: "arn:aws:iam::999999999999:role/jenkins-agent" },
  ],
};

function build(over: Partial<JenkinsControllerProps> = {}): { json: SynthJson; v: any } {
  const json = synth((s) => new JenkinsController(s, "jenkins", { ...base, ...over }));
  const r = release(json, "jenkins");
  expectSafeRelease(r);
  return { json, v: releaseValues(r) };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
function leafPaths(values: unknown, freeForm: readonly string[], prefix = ""): string[] {
  if (!isMap(values)) return [];
  return Object.entries(values).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return freeForm.some((f) => p === f || p.endsWith(`.${f}`)) || !isMap(v) || Object.keys(v).length === 0
      ? [p]
      : leafPaths(v, freeForm, p);
  });
}
const has = (doc: unknown, p: string) =>
  p.split(".").reduce<unknown>((o, k) => (isMap(o) && k in o ? o[k] : undefined), doc) !== undefined ||
  p
    .split(".")
    .slice(0, -1)
    .reduce<unknown>((o, k) => (isMap(o) ? o[k] : undefined), doc) === null;

describe("JenkinsController", () => {
  it("installs the pinned jenkins chart with configuration as code only: no wizard, no local users, no executors", () => {
    const { json, v } = build();
    expect(release(json, "jenkins")).toMatchObject({
      chart: "jenkins",
      repository: "https://charts.jenkins.io",
      version: "5.9.53",
      namespace: "jenkins",
    });
    expect(v.controller).toMatchObject({
      numExecutors: 0,
      admin: { createSecret: false },
      installLatestPlugins: false,
      installLatestSpecifiedPlugins: false,
    });
    expect(v.controller.JCasC).toMatchObject({
      defaultConfig: false,
      overwriteConfiguration: true,
      configScripts: { shipyard: "jenkins:\n  numExecutors: 0\n" },
    });
    expect(v.agent).toEqual({ enabled: false });
  });

  it("sets only keys the chart's values.yaml has", () => {
    const upstream = parse(readFileSync(UPSTREAM, "utf8"));
    const { v } = build();
    const paths = leafPaths(v, ["annotations", "resources", "affinity", "configScripts", "security"]);
    expect(paths.length).toBeGreaterThan(20);
    for (const p of paths) expect(has(upstream, p), p).toBe(true);
  });

  it("pins every plugin exactly and refuses one without a version", () => {
    expect(build().v.controller.installPlugins).toEqual(["kubernetes:4540.v612369217f87", "git:5.10.1"]);
    for (const bad of ["git", "git:latest", "git:experimental", "git:>=5"]) {
      expect(() => build({ plugins: [bad] }), bad).toThrow(ShipyardValidationError);
    }
  });

  it("keeps JENKINS_HOME on an encrypted persistent volume of the given class", () => {
    expect(build({ storageGiB: 80 }).v.persistence).toEqual({
      enabled: true,
      storageClass: "gp3-encrypted",
      size: "80Gi",
      accessMode: "ReadWriteOnce",
    });
  });

  it("serves the UI on an internal ALB and only /github-webhook/ (exactly) on an internet-facing one", () => {
    const { v } = build();
    expect(v.controller.ingress).toMatchObject({ enabled: true, hostName: "jenkins.tools.example.com", ingressClassName: "alb" });
    expect(v.controller.ingress.annotations["alb.ingress.kubernetes.io/scheme"]).toBe("internal");
    expect(v.controller.secondaryingress).toMatchObject({
      enabled: true,
      hostName: "jenkins-hooks.example.com",
      pathType: "Exact",
      paths: ["/github-webhook/"],
    });
    expect(v.controller.secondaryingress.annotations["alb.ingress.kubernetes.io/scheme"]).toBe("internet-facing");
    expect(() => build({ webhookHostname: base.hostname })).toThrow(/must differ from hostname/);
  });

  it("syncs credentials from Secrets Manager into labelled Secrets for the credentials provider, without a value", () => {
    const { json } = build();
    const secrets = releaseValues(release(json, "jenkins-secrets")).resources;
    expect(
      secrets.map((s: any) => [
        s.metadata.name,
        s.spec.target.template.metadata.labels?.["jenkins.io/credentials-type"] ?? null,
        s.spec.dataFrom[0].extract.key,
      ]),
    ).toEqual([
      ["github-app", "gitHubApp", "shipyard-tools/jenkins-github-app"],
      ["slack-bot-token", "secretText", "shipyard-tools/jenkins-slack"],
      ["jenkins-oidc-client", null, "shipyard-tools/jenkins-oidc-client"],
    ]);
    expect(secrets[0].spec.target.template.data).toEqual({ appID: "912345", privateKey: "{{ .privateKey }}" });
    expect(build().v.controller.additionalExistingSecrets).toEqual([{ name: "jenkins-oidc-client", keyName: "text" }]);
    expect(build().v.rbac).toEqual({ create: true, readSecrets: true });
  });

  it("creates the agents' service accounts with their IRSA roles and no API token", () => {
    const { json } = build();
    const sas = Object.values((json.resource as any).kubernetes_service_account_v1) as any[];
    expect(
      sas.map((s) => [s.metadata.name, s.metadata.annotations?.["eks.amazonaws.com/role-arn"] ?? null, s.automount_service_account_token]),
    ).toEqual([
      ["jenkins-agent-build", null, false],
      ["jenkins-agent-deploy", "arn:aws:iam::999999999999:role/jenkins-agent", false],
    ]);
  });
});
