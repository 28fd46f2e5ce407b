import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireTool } from "../support/tools";
import { CACHE_DIR, ensurePristine, freshRoot, releaseRoot, removeStaleRuns } from "./chroot";
import { FIXTURE_VARS, type Result, expectOk, recap, runAsync } from "./support";

/**
 * A real run of playbooks/nodes.yml (eks_node) against throw-away Debian roots through the chroot
 * connection, never the host. Two fresh copies of the cached pristine root: the audit (--check --diff)
 * of an unconfigured node runs on one while the first real run converges the other, side by side; then
 * the second run of the converged root must change nothing.
 */

const hasAnsible = requireTool("ansible-playbook");
const hasDebootstrap = requireTool("debootstrap");
const isRoot = process.getuid?.() === 0;
if (!isRoot) {
  if (process.env.CI) throw new Error("the eks_node chroot run needs root (chroot(2)) under CI");
  process.stderr.write("NOTICE: not root; skipping the eks_node chroot run\n");
}

/** Host files the role would write if it ever reached the host instead of the chroot. */
const HOST_SENTINELS = [
  "/etc/sysctl.d/90-shipyard.conf",
  "/etc/systemd/journald.conf.d/50-shipyard.conf",
  "/etc/audit/rules.d/50-shipyard.rules",
  "/etc/kubernetes/kubelet/config.json.d/40-shipyard.conf",
  "/etc/chrony/chrony.conf",
  "/etc/chrony.conf",
];
const hostState = () => HOST_SENTINELS.map((p) => (existsSync(p) ? `${p} ${statSync(p).mtimeMs} ${statSync(p).size}` : `${p} absent`));

/** A fresh root with a node's kubelet files (modes the CIS items must correct, or keep when stricter) and an unneeded enabled service. */
function nodeRoot(): string {
  const root = freshRoot();
  const put = (path: string, content: string, mode: number, uid = 0) => {
    const p = join(root, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    chmodSync(p, mode);
    chownSync(p, uid, uid);
  };
  put("etc/kubernetes/kubelet/config.json", '{"kind":"KubeletConfiguration"}\n', 0o666);
  put("var/lib/kubelet/kubeconfig", "apiVersion: v1\nkind: Config\n", 0o600, 1000);
  put("etc/kubernetes/pki/ca.crt", "-----BEGIN CERTIFICATE-----\n", 0o664);
  put(
    "usr/lib/systemd/system/avahi-daemon.service",
    "[Unit]\nDescription=stand-in\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n",
    0o644,
  );
  symlinkSync(
    "/usr/lib/systemd/system/avahi-daemon.service",
    join(root, "etc/systemd/system/multi-user.target.wants/avahi-daemon.service"),
  );
  return root;
}

const play = (root: string, ...extra: string[]) =>
  runAsync("ansible-playbook", [
    "-i",
    `${root},`,
    "-c",
    "community.general.chroot",
    "-e",
    `@${FIXTURE_VARS}`,
    "-e",
    "eks_node_live=false",
    "-e",
    "shipyard_node_hosts=all",
    // The chroot connection already runs as root, and a minbase root has no sudo.
    "-e",
    "shipyard_node_become=false",
    // The root's interpreter is known: no discovery round trip on every run.
    "-e",
    "ansible_python_interpreter=/usr/bin/python3",
    "playbooks/nodes.yml",
    ...extra,
  ]);

describe.skipIf(!(hasAnsible && hasDebootstrap && isRoot))("eks_node in a throw-away Debian chroot", () => {
  const roots: string[] = [];
  let auditRoot = "";
  let root = "";
  let chronyBefore = "";
  let audit: Promise<Result>;
  let first: Promise<Result>;
  const hostBefore = hostState();

  beforeAll(() => {
    // Cold: debootstrap from the mirror (about a minute here); warm: overlays on the cached root.
    removeStaleRuns();
    ensurePristine((line) => process.stderr.write(`eks_node chroot: ${line}\n`));
    auditRoot = nodeRoot();
    root = nodeRoot();
    roots.push(auditRoot, root);
    chronyBefore = readFileSync(join(auditRoot, "etc/chrony/chrony.conf"), "utf8");
    audit = play(auditRoot, "--check", "--diff");
    first = play(root, "--diff");
  }, 900_000);

  afterAll(async () => {
    // Both runs must have ended before their roots are removed.
    await Promise.allSettled([audit, first].filter(Boolean));
    for (const r of roots) releaseRoot(r);
  }, 300_000);

  it("an audit (--check --diff) of the unconfigured node reports the drift and changes nothing", async () => {
    const r = await audit;
    expectOk(r);
    const totals = recap(r.out);
    process.stderr.write(`eks_node chroot audit: ${JSON.stringify(totals)}\n`);
    expect(totals).toMatchObject({ failed: 0, unreachable: 0 });
    expect(totals.changed).toBeGreaterThan(0);
    expect(r.out).toContain("+server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4");
    expect(existsSync(join(auditRoot, "etc/sysctl.d/90-shipyard.conf"))).toBe(false);
    expect(readFileSync(join(auditRoot, "etc/chrony/chrony.conf"), "utf8")).toBe(chronyBefore);
    expect((statSync(join(auditRoot, "etc/kubernetes/kubelet/config.json")).mode & 0o7777).toString(8)).toBe("666");
    expect(lstatSync(join(auditRoot, "etc/systemd/system/multi-user.target.wants/avahi-daemon.service")).isSymbolicLink()).toBe(true);
  }, 300_000);

  it("first run converges the node baseline", async () => {
    expect(root.startsWith(CACHE_DIR)).toBe(true);
    const r = await first;
    expectOk(r);
    const totals = recap(r.out);
    process.stderr.write(`eks_node chroot run 1: ${JSON.stringify(totals)}\n`);
    expect(totals.failed).toBe(0);
    expect(totals.unreachable).toBe(0);
    expect(totals.changed).toBeGreaterThan(0);

    const file = (p: string) => readFileSync(join(root, p), "utf8");
    expect(file("etc/sysctl.d/90-shipyard.conf")).toContain("vm.max_map_count = 262144\n");
    expect(file("etc/chrony/chrony.conf")).toMatch(/^server 169\.254\.169\.123 prefer iburst minpoll 4 maxpoll 4$/m);
    expect(file("etc/systemd/journald.conf.d/50-shipyard.conf")).toMatch(/^SystemMaxUse=2G$/m);
    expect(file("etc/audit/rules.d/50-shipyard.rules")).toContain("-w /etc/kubernetes/ -p wa -k kubernetes\n");
    expect(JSON.parse(file("etc/kubernetes/kubelet/config.json.d/40-shipyard.conf"))).toMatchObject({
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      maxPods: 58,
      evictionHard: { "memory.available": "200Mi" },
    });
    const mode = (p: string) => (statSync(join(root, p)).mode & 0o7777).toString(8);
    expect(mode("etc/kubernetes/kubelet/config.json")).toBe("644");
    expect(mode("etc/kubernetes/pki/ca.crt")).toBe("644");
    expect(mode("var/lib/kubelet/kubeconfig")).toBe("600"); // stricter than 644: kept
    expect(statSync(join(root, "var/lib/kubelet/kubeconfig")).uid).toBe(0);
    expect(() => lstatSync(join(root, "etc/systemd/system/multi-user.target.wants/avahi-daemon.service"))).toThrow();
    // lstat: the link's absolute target only resolves inside the chroot.
    expect(lstatSync(join(root, "etc/systemd/system/multi-user.target.wants/chrony.service")).isSymbolicLink()).toBe(true);
  }, 300_000);

  it("second run changes nothing", async () => {
    expectOk(await first);
    const r = await play(root);
    expectOk(r);
    const totals = recap(r.out);
    process.stderr.write(`eks_node chroot run 2: ${JSON.stringify(totals)}\n`);
    expect(totals).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
  }, 300_000);

  it("never touched the host", () => {
    expect(hostState()).toEqual(hostBefore);
  });
});
