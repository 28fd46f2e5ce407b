import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { JenkinsController, type JenkinsCredential } from "../../modules/addons/jenkins";
import { ECR_PUSH_ACTIONS } from "../../modules/iam/boundary";
import { IrsaRole } from "../../modules/iam/irsa-role";
import { boundaryPolicyArn, secretName } from "../../modules/iam/naming";
import type { EnvironmentConfig } from "../config";
import { agentRoleNames, ciTargets } from "../config/ci-rules";
import { agentServiceAccount, JENKINS_CREDENTIALS, jenkinsCascYaml, OIDC_CLIENT_SECRET } from "../generate/jenkins";
import type { ClusterStack } from "./cluster";

export interface PlatformJenkinsProps {
  readonly cluster: ClusterStack;
}

export interface PlatformJenkinsDependencies {
  /** The encrypted default StorageClass (JENKINS_HOME). */
  readonly storageClassName: string;
  /** The ClusterSecretStore release: credentials are ExternalSecrets. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** The Jenkins of an environment with `ci.jenkins`, and its agents' IRSA roles. */
export interface PlatformJenkins {
  readonly controller: JenkinsController;
  readonly deployAgentRole: IrsaRole;
  readonly imageAgentRole: IrsaRole;
}

/**
 * Installs the Jenkins controller in an environment that hosts it (`ci.jenkins`, the `tools` environment);
 * nothing elsewhere. The deploy agent's role is the `access.deployer.trustedPrincipal` of the target
 * environments and may only assume their `shipyard-<env>-deployer` roles; the image agent's role may only push to
 * the targets' application repositories. The build agent has no AWS identity.
 */
export function addJenkins(
  scope: Construct,
  env: EnvironmentConfig,
  props: PlatformJenkinsProps,
  deps: PlatformJenkinsDependencies,
): PlatformJenkins | undefined {
  const jenkins = env.ci?.jenkins;
  if (!jenkins) return undefined;
  const targets = ciTargets(env);
  const ns = jenkins.namespace;
  const irsa = { oidcProviderArn: props.cluster.oidcProviderArn, oidcIssuer: props.cluster.oidcIssuer, namespace: ns };
  const boundary = boundaryPolicyArn(env.account, env.clusterName);

  const deployAgentRole = new IrsaRole(scope, "jenkins-agent-deploy-role", {
    ...irsa,
    roleName: agentRoleNames(env).deploy,
    serviceAccount: agentServiceAccount("deploy"),
    permissionsBoundaryArn: boundary,
    description: "Jenkins deploy agent: assumes the deployer role of each target environment",
    statements: [
      { sid: "AssumeDeployerRoles", effect: "Allow", actions: ["sts:AssumeRole"], resources: targets.map((t) => t.deployerRoleArn) },
    ],
  });
  const repositories = targets.flatMap((t) => t.repositoryArns);
  const imageAgentRole = new IrsaRole(scope, "jenkins-agent-image-role", {
    ...irsa,
    roleName: agentRoleNames(env).image,
    serviceAccount: agentServiceAccount("image"),
    permissionsBoundaryArn: boundary,
    description: "Jenkins image agent: pushes application images to the target environments' repositories",
    statements: [
      // GetAuthorizationToken has no resource to scope to; the token only reaches what the statement below allows.
      { sid: "RegistryLogin", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      ...(repositories.length > 0
        ? [
            {
              sid: "PushApplicationImages",
              effect: "Allow",
              actions: [...ECR_PUSH_ACTIONS],
              resources: repositories,
            },
          ]
        : []),
    ],
  });

  // The secrets' names from the naming function the foundation layer creates them with, not its outputs: a
  // literal keeps the ExternalSecret manifests (one values document of several KiB) free of Terraform tokens,
  // and the platform layer is applied after the foundation anyway.
  const remote = (name: string) => secretName(env.clusterName, name);
  const c = jenkins.credentials;
  const credentials: JenkinsCredential[] = [
    {
      id: JENKINS_CREDENTIALS.githubApp,
      remoteKey: remote(c.githubApp),
      type: "gitHubApp",
      appId: jenkins.github.appId,
      description: "GitHub App",
    },
    { id: JENKINS_CREDENTIALS.githubWebhook, remoteKey: remote(c.githubWebhook), type: "secretText", description: "GitHub webhook secret" },
    {
      id: JENKINS_CREDENTIALS.terraformNonprod,
      remoteKey: remote(c.terraformNonprod),
      type: "secretText",
      description: "Terraform Cloud token (dev, staging)",
    },
    {
      id: JENKINS_CREDENTIALS.terraformProd,
      remoteKey: remote(c.terraformProd),
      type: "secretText",
      description: "Terraform Cloud token (prod)",
    },
    { id: JENKINS_CREDENTIALS.slack, remoteKey: remote(c.slack), type: "secretText", description: "Slack bot token" },
  ];

  const controller = new JenkinsController(scope, "jenkins", {
    namespace: ns,
    hostname: jenkins.hostname,
    webhookHostname: jenkins.webhookHostname,
    certificateArn: jenkins.certificateArn,
    plugins: jenkins.plugins,
    casc: { shipyard: jenkinsCascYaml(env) },
    storageClassName: deps.storageClassName,
    storageGiB: jenkins.controller.storageGiB,
    resources: jenkins.controller.resources,
    credentials,
    cascSecrets: [{ name: OIDC_CLIENT_SECRET, remoteKey: remote(c.oidcClient), key: "text" }],
    agentServiceAccounts: [
      { name: agentServiceAccount("build") },
      { name: agentServiceAccount("image"), roleArn: `arn:aws:iam::${env.account}:role/${agentRoleNames(env).image}` },
      { name: agentServiceAccount("deploy"), roleArn: `arn:aws:iam::${env.account}:role/${agentRoleNames(env).deploy}` },
    ],
    dependsOn: deps.dependsOn,
  });
  return { controller, deployAgentRole, imageAgentRole };
}
