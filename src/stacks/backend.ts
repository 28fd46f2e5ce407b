import * as path from "node:path";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import type { EnvironmentConfig, StateConfig } from "../config";

export interface BackendContext {
  /** Folder the stacks are synthesized into (`<outdir>/stacks/<stack>`), relative to the project root. */
  readonly outdir: string;
}

/** What the backend of an environment's stack is configured from. */
export type BackendEnvironment = Pick<EnvironmentConfig, "state" | "account" | "region">;

/**
 * Configures where a stack keeps its state. Local paths are written relative to the folder Terraform
 * runs in (`<outdir>/stacks/<stack>`), so no absolute path reaches the output.
 */
export function configureBackend(stack: TerraformStack, stackName: string, env: BackendEnvironment, ctx: BackendContext): void {
  const state = env.state;
  switch (state.backend) {
    case "local": {
      const workingDir = path.posix.join(toPosix(ctx.outdir), "stacks", stackName);
      const statePath = path.posix.relative(workingDir, path.posix.join(toPosix(state.directory), `${stackName}.tfstate`));
      new LocalBackend(stack, { path: statePath });
      return;
    }
    case "cloud":
      // One named workspace per stack: tagged workspaces break CDKTF's cross-stack references.
      new CloudBackend(stack, {
        hostname: state.hostname,
        organization: state.organization,
        workspaces: new NamedCloudWorkspace(cloudWorkspaceName(state, stackName), state.project),
      });
      return;
    case "s3": {
      const backend = new S3Backend(stack, {
        bucket: state.bucket,
        key: `${state.keyPrefix ? `${state.keyPrefix}/` : ""}${stackName}.tfstate`,
        region: state.region,
        encrypt: true,
        // The bootstrap layer creates the state key with this alias unless config names a key.
        kmsKeyId: state.kmsKeyArn ?? stateKeyAliasArn(state, env),
      });
      // Native S3 locking (Terraform >= 1.10); cdktf 0.21 has no typed field for it yet.
      backend.addOverride("use_lockfile", true);
      return;
    }
  }
}

/** The Terraform Cloud workspace of a stack, `<workspacePrefix>-<env>-<layer>`: the one place this name is spelled. */
export function cloudWorkspaceName(state: { readonly workspacePrefix: string }, stackName: string): string {
  return `${state.workspacePrefix}-${stackName}`;
}

/**
 * The stacks that read `producer`'s state: those holding the remote-state data source CDKTF adds for a
 * cross-stack reference (`cross-stack-reference-input-<producer>`). Complete only once every stack is
 * prepared (during `app.synth()`), which is when lazy values that call it are resolved for output.
 */
export function stateReaders(root: IConstruct, producer: string): string[] {
  const id = `cross-stack-reference-input-${producer}`;
  return root.node.children
    .filter((c): c is TerraformStack => TerraformStack.isStack(c))
    .filter((stack) => stack.node.path !== producer && stack.node.tryFindChild(id) !== undefined)
    .map((stack) => stack.node.path)
    .sort();
}

/** `alias/<bucket>`: the alias of the key the bootstrap layer creates for an S3 state bucket. */
export function stateKeyAliasName(bucket: string): string {
  return `${bucket}-state`;
}

function stateKeyAliasArn(state: Extract<StateConfig, { backend: "s3" }>, env: BackendEnvironment): string {
  return `arn:aws:kms:${state.region ?? env.region}:${env.account}:alias/${stateKeyAliasName(state.bucket)}`;
}

function toPosix(p: string): string {
  if (path.isAbsolute(p)) throw new Error(`expected a path relative to the project root, got an absolute path`);
  return p.split(path.sep).join(path.posix.sep);
}
