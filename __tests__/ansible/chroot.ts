import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * A throw-away Debian bookworm root for the eks_node role, built with debootstrap and cached under
 * `.cache/ansible-chroot/` (gitignored). Nothing outside that directory is written: the pristine tree
 * is renamed into place atomically when complete (so a half-built root is never reused), and every test
 * run gets a fresh root on top of it: an overlay mount whose writes land in the run's own folder (no
 * copying), or, where overlayfs is not available, a full copy. Either is deleted afterwards.
 */

export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  const root = resolve(from, "..", "..");
  if (!existsSync(join(root, "ansible", "ansible.cfg")) || !existsSync(join(root, "package.json"))) {
    throw new Error(`expected the Shipyard repository at ${root} (from ${from})`);
  }
  return root;
}
export const CACHE_DIR = join(REPO_ROOT, ".cache", "ansible-chroot");

/** Apt's configured Debian mirror (see /etc/apt/sources.list.d/debian.sources). */
export const MIRROR = process.env.SHIPYARD_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
export const SUITE = "bookworm";
/**
 * python3: Ansible's modules run inside the root; python3-apt: the apt module needs it (it would
 * otherwise install it itself, from the network, and refuse to run under --check). systemd, procps,
 * chrony, auditd: what a node has, so the role's unit, sysctl, chrony and audit tasks act on real files
 * (their packages are then already present, so a run needs no network).
 */
export const INCLUDE = ["python3", "python3-apt", "systemd", "procps", "chrony", "auditd"];

/** The cached pristine root, keyed by suite and package list. */
export function pristineRoot(): string {
  const key = createHash("sha256")
    .update([SUITE, "minbase", ...INCLUDE].join(" "))
    .digest("hex")
    .slice(0, 12);
  return join(CACHE_DIR, `${SUITE}-minbase-${key}`);
}

/** Builds the pristine root when it is missing. Returns whether it had to be built. */
export function ensurePristine(log: (line: string) => void = () => {}): boolean {
  const pristine = pristineRoot();
  if (existsSync(pristine)) return false;
  mkdirSync(CACHE_DIR, { recursive: true });
  const build = mkdtempSync(join(CACHE_DIR, "build-"));
  try {
    log(`debootstrap --variant=minbase ${SUITE} into ${build} (first run only; takes minutes)`);
    const root = join(build, "root");
    execFileSync("debootstrap", ["--variant=minbase", `--include=${INCLUDE.join(",")}`, SUITE, root, MIRROR], {
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    // Never let a package script start a daemon from inside the root (chronyd would steer the host's clock).
    const policy = join(root, "usr", "sbin", "policy-rc.d");
    writeFileSync(policy, "#!/bin/sh\nexit 101\n");
    chmodSync(policy, 0o755);
    renameSync(root, pristine);
    return true;
  } finally {
    removeTree(build);
  }
}

/** A fresh root for one run (an overlay on the pristine root, or a copy); release it with releaseRoot(). */
export function freshRoot(): string {
  const dir = mkdtempSync(join(CACHE_DIR, "run-"));
  const root = join(dir, "root");
  for (const sub of ["root", "upper", "work"]) mkdirSync(join(dir, sub));
  try {
    execFileSync(
      "mount",
      ["-t", "overlay", "overlay", "-o", `lowerdir=${pristineRoot()},upperdir=${join(dir, "upper")},workdir=${join(dir, "work")}`, root],
      {
        stdio: "ignore",
      },
    );
  } catch {
    execFileSync("cp", ["-a", `${pristineRoot()}/.`, root], { stdio: "ignore" });
  }
  return root;
}

/** Unmounts (when an overlay) and deletes a root from freshRoot(). */
export function releaseRoot(root: string): void {
  if (mountsBelow(root).length > 0) execFileSync("umount", [root], { stdio: "ignore" });
  removeTree(join(root, ".."));
}

/** Runs left behind by an interrupted test (their overlay still mounted): unmounted and removed. */
export function removeStaleRuns(): void {
  if (!existsSync(CACHE_DIR)) return;
  for (const entry of readdirSync(CACHE_DIR).filter((e) => e.startsWith("run-"))) releaseRoot(join(CACHE_DIR, entry, "root"));
}

function mountsBelow(path: string): string[] {
  const abs = resolve(path);
  return readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1])
    .filter((m): m is string => !!m && (m === abs || m.startsWith(abs + "/")));
}

/** rm -rf, refusing anything outside the cache or with a mount below it. */
export function removeTree(path: string): void {
  const abs = resolve(path);
  if (!abs.startsWith(CACHE_DIR + "/")) throw new Error(`refusing to remove ${abs}: outside ${CACHE_DIR}`);
  const mounts = mountsBelow(abs);
  if (mounts.length > 0) throw new Error(`refusing to remove ${abs}: mounts below it: ${mounts.join(", ")}`);
  rmSync(abs, { recursive: true, force: true });
}
