import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./groovy";
import { tempDir } from "../../support/temp-dirs";

/** Secret values handed to the scripts; none may appear in their output or in anything they write. */
export const SECRETS = {
  GITHUB_TOKEN: "ghs_SECRETgithubAppInstallationToken0001",
  TF_TOKEN_app_terraform_io: "SECRET.atlasv1.terraformCloudToken0002",
  TF_TOKEN_NONPROD: "SECRET.atlasv1.nonprodToken0003",
  TF_TOKEN_PROD: "SECRET.atlasv1.prodToken0004",
  ECR_PASSWORD: "SECRET-ecr-login-password-0005",
  WEB_IDENTITY: "SECRET-projected-web-identity-token-0006",
} as const;

/**
 * Stand-ins for the outside tools the stage scripts call. Each appends one line to $CALLS (`tool arg1 arg2
 * …`, arguments joined by spaces) and then does just enough for the script to go on; STANDIN_FAIL names tools
 * (space separated) that fail, or `tool:arg` to fail only calls whose arguments contain arg.
 */
const STANDIN = (name: string, body: string) => `#!/usr/bin/env bash
printf '%s\\n' "${name} $*" >> "$CALLS"
for f in \${STANDIN_FAIL:-}; do
  case "$f" in
    ${name}) exit "\${STANDIN_EXIT:-1}" ;;
    ${name}:*) case " $* " in *"\${f#*:}"*) exit "\${STANDIN_EXIT:-1}" ;; esac ;;
  esac
done
${body}
exit 0
`;

const TOOLS: Record<string, string> = {
  "buildctl-daemonless.sh": `for a in "$@"; do case "$a" in type=oci,dest=*) d="\${a#type=oci,dest=}"; mkdir -p "$(dirname "$d")"; printf 'oci-archive %s' "$RANDOM" > "$d";; esac; done
prev=""; for a in "$@"; do [ "$prev" = --metadata-file ] && echo '{}' > "$a"; prev="$a"; done`,
  trivy: `prev=""; for a in "$@"; do [ "$prev" = --output ] && echo '{"Results":[]}' > "$a"; prev="$a"; done
if [ -n "\${TRIVY_FINDINGS:-}" ]; then case " $* " in *" --exit-code 1 "*) exit 1;; esac; fi`,
  skopeo: `prev=""; for a in "$@"; do [ "$prev" = --digestfile ] && echo 'sha256:1111111111111111111111111111111111111111111111111111111111111111' > "$a"; prev="$a"; done`,
  aws: `case "$*" in *"get-login-password"*) printf '%s' "${SECRETS.ECR_PASSWORD}";; esac`,
  terraform: ``,
  "ansible-playbook": ``,
  "ansible-galaxy": ``,
  curl: `# A GitHub API stand-in: the list of comments comes from $GITHUB_COMMENTS; the config on stdin is recorded.
cfg="$(cat)"; printf 'curl-config %s\\n' "$cfg" >> "$CALLS.stdin"
case "$*" in *"/comments?"*) cat "\${GITHUB_COMMENTS:-/dev/null}" 2>/dev/null || echo '[]';; *) echo '{}';; esac`,
};

export interface Sandbox {
  dir: string;
  bin: string;
  reports: string;
  calls(): string[];
  /** Every file the scripts wrote under reports/ and the cache, concatenated. */
  written(): string;
}

export function sandbox(extra: Record<string, string> = {}): Sandbox {
  const dir = tempDir("shipyard-ci-");
  const bin = join(dir, "bin");
  mkdirSync(bin);
  for (const [name, body] of Object.entries({ ...TOOLS, ...extra })) {
    writeFileSync(join(bin, name), STANDIN(name, body));
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(dir, "calls"), "");
  writeFileSync(join(dir, "web-identity-token"), SECRETS.WEB_IDENTITY);
  const walk = (p: string): string[] =>
    statSync(p).isDirectory() ? readdirSync(p).flatMap((f) => walk(join(p, f))) : [readFileSync(p, "latin1")];
  return {
    dir,
    bin,
    reports: join(dir, "reports"),
    calls: () => readFileSync(join(dir, "calls"), "utf8").split("\n").filter(Boolean),
    written: () => [join(dir, "reports"), join(dir, "cache")].flatMap((p) => (safeStat(p) ? walk(p) : [])).join("\n"),
  };
}

function safeStat(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

export interface ScriptRun {
  status: number;
  output: string;
}

/** Runs ci/<script> from the repository (or `root`) with the stand-ins first on PATH. */
export function runScript(box: Sandbox, script: string, args: readonly string[], env: Record<string, string> = {}, root = ROOT): ScriptRun {
  const r = spawnSync("bash", [join(root, "ci", script), ...args], {
    cwd: root,
    encoding: "utf8",
    env: {
      PATH: `${box.bin}:${process.env.PATH}`,
      HOME: box.dir,
      CALLS: join(box.dir, "calls"),
      REPORTS: box.reports,
      CI_CACHE: join(box.dir, "cache"),
      REGISTRY_AUTH_FILE: join(box.dir, "cache", "registry-auth.json"),
      IMAGE_ARCHIVE: join(box.dir, "build", "image.tar"),
      GIT_COMMIT: "0123456789abcdef0123456789abcdef01234567",
      BUILD_NUMBER: "7",
      AWS_ROLE_ARN: "arn:aws:iam::999999999999:role/jenkins-agent",
      AWS_WEB_IDENTITY_TOKEN_FILE: join(box.dir, "web-identity-token"),
      ...env,
    },
  });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
