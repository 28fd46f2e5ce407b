import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Pod } from "kubernetes-models/v1/Pod";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/groovy";

/** The Jenkins agents' pod templates (ci/pods/*.yaml): valid Kubernetes, pinned, least privilege. */

const POD_DIR = join(ROOT, "ci", "pods");
const FILES = readdirSync(POD_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();
const text = (f: string) => readFileSync(join(POD_DIR, f), "utf8");
const pod = (f: string) => parse(text(f)) as { spec: Record<string, any>; metadata: Record<string, any> };
const containers = (f: string): any[] => [...(pod(f).spec.initContainers ?? []), ...pod(f).spec.containers];

describe("ci/pods", () => {
  it("has the three agents the Jenkinsfile uses", () => {
    expect(FILES).toEqual(["build.yaml", "deploy.yaml", "image.yaml"]);
    const jenkinsfile = readFileSync(join(ROOT, "Jenkinsfile"), "utf8");
    const used = [...jenkinsfile.matchAll(/yamlFile '([^']+)'/g)].map((m) => m[1]);
    expect([...new Set(used)].sort()).toEqual(FILES.map((f) => `ci/pods/${f}`));
  });

  it.each(FILES)("%s is a valid Pod by the Kubernetes API schema", (f) => {
    expect(() => new Pod(pod(f) as any).validate()).not.toThrow();
  });

  it("the schema check refuses a broken pod (the check is real)", () => {
    const broken = pod("build.yaml");
    broken.spec.containers[0].resources.limits.cpu = { many: 2 };
    expect(() => new Pod(broken as any).validate()).toThrow(/cpu/);
  });

  it.each(FILES)("%s pins every image by digest, with the image:tag it stands for in a comment above", (f) => {
    const lines = text(f).split("\n");
    const images = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*image:/.test(l));
    expect(images.length).toBe(containers(f).length);
    for (const [line, i] of images) {
      expect(line).toMatch(/image: [a-z0-9.-]+\/[a-z0-9._\/-]+@sha256:[0-9a-f]{64}$/);
      // A placeholder digest is not a pin: every image is a real, published manifest (ci/pin-images.sh --check).
      expect(line, `line ${i + 1}`).not.toMatch(/@sha256:0{64}$/);
      expect(lines[i - 1], `comment above line ${i + 1}`).toMatch(/^\s*# [a-z0-9._\/-]+:[A-Za-z0-9._-]+/);
    }
  });

  /**
   * The one root container: the build agent's, because npm test installs Debian packages and runs the eks_node
   * role in a debootstrapped chroot. Exactly these capabilities, and nothing that reaches AWS or the cluster.
   */
  const ROOT_CONTAINERS: Record<string, { container: string; capabilities: string[] }> = {
    "build.yaml": {
      container: "shipyard",
      capabilities: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "SETUID", "SETGID", "SETFCAP", "MKNOD", "SYS_CHROOT"],
    },
  };

  it.each(FILES)(
    "%s runs as non-root (but for the named root container), drops capabilities, sets requests and limits, mounts no API token",
    (f) => {
      const p = pod(f);
      expect(p.spec.automountServiceAccountToken).toBe(false);
      expect(p.spec.securityContext.runAsNonRoot).toBe(true);
      expect(p.spec.securityContext.seccompProfile.type).toBe("RuntimeDefault");
      for (const c of containers(f)) {
        expect(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${c.name} requests`).toBeTruthy();
        expect(c.resources?.limits?.cpu && c.resources?.limits?.memory, `${c.name} limits`).toBeTruthy();
        expect(c.securityContext?.privileged, c.name).not.toBe(true);
        const root = ROOT_CONTAINERS[f]?.container === c.name ? ROOT_CONTAINERS[f] : undefined;
        if (root) expect(c.securityContext?.runAsUser, c.name).toBe(0);
        else expect(c.securityContext?.runAsUser ?? 1000, c.name).not.toBe(0);
        expect(c.securityContext?.capabilities?.add ?? [], c.name).toEqual(root?.capabilities ?? []);
        // Only rootless BuildKit needs user namespaces (unconfined seccomp/AppArmor); it stays unprivileged.
        if (c.name !== "buildkit") {
          expect(c.securityContext?.allowPrivilegeEscalation, c.name).toBe(false);
          expect(c.securityContext?.capabilities?.drop, c.name).toEqual(["ALL"]);
        }
        for (const e of c.env ?? []) expect(e.name, c.name).not.toMatch(/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/);
      }
    },
  );

  it("gives each agent its own service account: AWS identity only where a stage needs one", () => {
    expect(Object.fromEntries(FILES.map((f) => [f, pod(f).spec.serviceAccountName]))).toEqual({
      "build.yaml": "jenkins-agent-build",
      "deploy.yaml": "jenkins-agent-deploy",
      "image.yaml": "jenkins-agent-image",
    });
  });

  it("never mentions static AWS keys", () => {
    for (const f of FILES) expect(text(f)).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key/i);
  });
});
