import * as path from "node:path";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from "cdktf";
import type { StateConfig } from "../config";

export interface BackendContext {
  /** Folder the stacks are synthesized into (`<outdir>/stacks/<stack>`), relative to the project root. */
  readonly outdir: string;
}

/**
 * Configures where a stack keeps its state. Local paths are written relative to the folder Terraform
 * runs in (`<outdir>/stacks/<stack>`), so no absolute path reaches the output.
 */
export function configureBackend(stack: TerraformStack, stackName: string, state: StateConfig, ctx: BackendContext): void {
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
        workspaces: new NamedCloudWorkspace(`${state.workspacePrefix}-${stackName}`, state.project),
      });
      return;
    case "s3": {
      const backend = new S3Backend(stack, {
        bucket: state.bucket,
        key: `${state.keyPrefix ? `${state.keyPrefix}/` : ""}${stackName}.tfstate`,
        region: state.region,
        encrypt: true,
        kmsKeyId: state.kmsKeyArn,
      });
      // Native S3 locking (Terraform >= 1.10); cdktf 0.21 has no typed field for it yet.
      backend.addOverride("use_lockfile", true);
      return;
    }
  }
}

function toPosix(p: string): string {
  if (path.isAbsolute(p)) throw new Error(`expected a path relative to the project root, got an absolute path`);
  return p.split(path.sep).join(path.posix.sep);
}
