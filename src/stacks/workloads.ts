import { TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { Workload } from "../../modules/workload";
import type { ApplicationConfig } from "../config";
import { configureKubernetesProviders } from "./kubernetes-providers";
import { imageTagVariableName, workloadProps } from "./workload-props";
import { ShipyardStack, type ShipyardStackProps } from "./shipyard-stack";

/** Tags an image tag variable accepts: Docker's tag grammar, and never `latest`. */
export const IMAGE_TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";

/**
 * The team applications: Deployments, Services, Ingresses, autoscaling and monitoring objects.
 *
 * Image tags are Terraform variables without a default (`image_tag_<app>`), so synthesis stays
 * deterministic and a deploy must say which build it ships: `cdktf deploy <env>-workloads --var
 * image_tag_sample_app=<tag>`, `TF_VAR_image_tag_sample_app`, or a Terraform Cloud workspace variable.
 *
 * The ExternalSecret and ServiceMonitor objects are CustomResources: their CRDs come from the platform
 * stack's Helm releases and must exist at plan time, which the layer order (platform before workloads)
 * guarantees.
 */
export class WorkloadsStack extends ShipyardStack {
  public readonly workloads: Readonly<Record<string, Workload>>;
  public readonly imageTags: Readonly<Record<string, TerraformVariable>>;

  constructor(scope: Construct, props: ShipyardStackProps) {
    super(scope, "workloads", props);
    const { env } = props;
    const workloads: Record<string, Workload> = {};
    const imageTags: Record<string, TerraformVariable> = {};
    if (env.applications.length > 0) {
      configureKubernetesProviders(this, { clusterName: env.clusterName, region: env.region, auth: env.cluster.kubernetesAuth });
    }
    for (const app of env.applications) {
      const tag = imageTagVariable(this, app);
      imageTags[app.name] = tag;
      workloads[app.name] = new Workload(this, `app-${app.name}`, workloadProps(env, app, tag.stringValue));
    }
    this.workloads = workloads;
    this.imageTags = imageTags;
  }
}

function imageTagVariable(scope: Construct, app: ApplicationConfig): TerraformVariable {
  const name = imageTagVariableName(app.name);
  const variable = new TerraformVariable(scope, name, {
    type: "string",
    nullable: false,
    description: `Image tag of ${app.name} in ${app.repository} (set at deploy time: --var ${name}=<tag> or TF_VAR_${name})`,
  });
  variable.addValidation({
    condition: `\${can(regex("${IMAGE_TAG_PATTERN}", var.${name})) && var.${name} != "latest"}`,
    errorMessage: `${name} must be an image tag (letters, digits, '.', '_', '-'; at most 128) and not latest.`,
  });
  return variable;
}
