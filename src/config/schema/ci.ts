import { z } from "zod";
import { IAM_ROLE_NAME } from "../../../modules/core/aws";
import { DNS_HOST_NAME } from "../../../modules/core/names";
import { EXACT_PLUGIN } from "../../../modules/addons/jenkins/plugins";
import { SLACK_CHANNEL } from "../../../modules/monitoring/receivers";
import { acmCertificateArn, cpuQuantity, dnsLabel, memoryQuantity } from "./common";

const hostName = z.string().regex(DNS_HOST_NAME, "a DNS host name");
/** A group of the identity provider (OIDC `groups` claim) or a user id; Jenkins compares them exactly. */
const principal = z.string().regex(/^[\w.@*+-]{1,128}$/, "an identity-provider group or user name such as prod-approvers");
/** A Secrets Manager secret of this environment, by its name in `secrets.items`. */
const secretRef = dnsLabel;

/**
 * `name:version` with an exact version as the Jenkins update center publishes it (`git:5.10.1`,
 * `kubernetes:4540.v612369217f87`). A missing version, `latest`, `experimental` or a range would let the
 * controller install whatever is newest on restart.
 */
export const jenkinsPlugin = z
  .string()
  .regex(EXACT_PLUGIN, "a plugin with an exact version, name:version such as git:5.10.1 (latest, experimental and ranges are refused)");

export const jenkinsSchema = z.strictObject({
  /** Namespace of the controller and its agents. */
  namespace: dnsLabel.default("jenkins"),
  /** Host name of the UI, served by an internal load balancer only. */
  hostname: hostName,
  /** Public host name that serves `/github-webhook/` and nothing else. */
  webhookHostname: hostName,
  /** ACM certificate covering both host names. */
  certificateArn: acmCertificateArn,
  /** The repository the multibranch job builds, and the GitHub App it authenticates as. */
  github: z.strictObject({
    owner: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "a GitHub user or organization name"),
    repository: z.string().regex(/^[\w.-]{1,100}$/, "a GitHub repository name"),
    appId: z.string().regex(/^\d{1,12}$/, "the GitHub App's numeric id (quote it in YAML)"),
    apiUrl: z
      .string()
      .regex(/^https:\/\/\S+$/, "an https URL")
      .default("https://api.github.com"),
  }),
  /** Who signs in (OIDC) and what they may do. */
  security: z.strictObject({
    oidc: z.strictObject({
      /** Issuer URL; its `/.well-known/openid-configuration` is read at start. */
      issuer: z.string().regex(/^https:\/\/\S+$/, "an https issuer URL"),
      clientId: z.string().min(1).max(200),
      /** Claim that carries the user's groups. */
      groupsClaim: z.string().min(1).default("groups"),
    }),
    /** Groups or users with Overall/Administer. */
    admins: z.array(principal).min(1, "at least one admin group or user"),
    /** Groups or users that may approve a prod deploy (the Jenkinsfile's `input` submitter). */
    prodApprovers: z.array(principal).min(1, "at least one group or user that approves prod deploys"),
    /** Groups or users that may read and start builds. */
    developers: z.array(principal).default([]),
  }),
  /**
   * Git repository (https) of the upstream reference data the test suites read beside the checkout
   * (`charts/` and `data/`, cloned to `../shared` by ci/build.sh); the controller passes it to every build as
   * `SHIPYARD_REFERENCE_DATA_GIT`. Unset: agents must already have `../shared`.
   */
  referenceDataGit: z
    .string()
    .regex(/^https:\/\/\S+\.git$/, "an https URL of a git repository, ending in .git")
    .optional(),
  /** Plugins installed on the controller, each with an exact version; nothing newer is fetched. */
  plugins: z.array(jenkinsPlugin).min(1),
  /** The agents' AWS roles (IRSA) in this account. */
  agents: z
    .strictObject({
      /** Role of the deploy pod: the `access.deployer.trustedPrincipal` every target environment trusts. */
      deployRoleName: z.string().regex(IAM_ROLE_NAME, "an IAM role name").optional(),
      /** Role of the image pod: may push only to the application repositories of the target environments. */
      imageRoleName: z.string().regex(IAM_ROLE_NAME, "an IAM role name").optional(),
    })
    .default({}),
  /**
   * Jenkins credentials, each a Secrets Manager secret of this environment (listed in `secrets.items`) that
   * External Secrets syncs into a Kubernetes Secret the credentials provider reads. No value lives here.
   */
  credentials: z.strictObject({
    /** GitHub App private key (key `privateKey`): credential `github-app`. */
    githubApp: secretRef,
    /** GitHub webhook secret (key `text`): credential `github-webhook-secret`. */
    githubWebhook: secretRef,
    /** OIDC client secret (key `text`): used by the security realm. */
    oidcClient: secretRef,
    /** Terraform Cloud team token for dev and staging (key `text`): credential `tfc-token-nonprod`. */
    terraformNonprod: secretRef,
    /** Terraform Cloud team token for prod (key `text`): credential `tfc-token-prod`. */
    terraformProd: secretRef,
    /** Slack bot token (key `text`): credential `slack-bot-token`. */
    slack: secretRef,
  }),
  controller: z
    .strictObject({
      /** Size of the encrypted persistent volume of JENKINS_HOME. */
      storageGiB: z.number().int().min(8).max(1000).default(50),
      resources: z
        .strictObject({
          requests: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
          limits: z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity }),
        })
        .default({ requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "2", memory: "4Gi" } }),
    })
    .default({ storageGiB: 50, resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "2", memory: "4Gi" } } }),
  /** Slack channel of the pipeline notifications. */
  slackChannel: z.string().regex(SLACK_CHANNEL, "a Slack channel such as #shipyard-delivery").default("#shipyard-delivery"),
});
export type JenkinsConfig = z.output<typeof jenkinsSchema>;

/** `ci:`: the delivery tooling an environment hosts (the `tools` environment hosts Jenkins). */
export const ciSchema = z.strictObject({
  jenkins: jenkinsSchema.optional(),
});
export type CiConfig = z.output<typeof ciSchema>;
