#!/usr/bin/env node
// House rules the type checker cannot see (CONTRIBUTING.md):
//  1. provider classes come from their own module path, never a provider package's index, which loads
//     thousands of files and makes synthesis slow;
//  2. modules/ never import src/ (a module takes typed props and knows nothing of config files);
//  3. no `as any` escapes in src/ and modules/;
//  4. every field of an exported `*Props` interface in modules/ has a TSDoc comment, every optional one an
//     `@default`, and each module README's props table matches the source (scripts/props-docs.mjs).
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { propsDocProblems } from "./props-docs.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const problems = [];

function walk(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith(".ts") ? [full] : [];
  });
}

const files = ["src", "modules"].flatMap((d) => walk(path.join(root, d))).concat(path.join(root, "main.ts"));
for (const file of files) {
  const rel = path.relative(root, file);
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const at = `${rel}:${i + 1}`;
      if (/from\s+["']@cdktf\/provider-[a-z]+["']/.test(line))
        problems.push(`${at}: import the provider class from its own path (@cdktf/provider-x/lib/<resource>)`);
      if (rel.startsWith("modules") && /from\s+["'](\.\.\/)+src\//.test(line))
        problems.push(`${at}: modules must not import src/ (take typed props instead)`);
      if (/\bas any\b/.test(line)) problems.push(`${at}: avoid "as any"`);
    });
}

problems.push(...propsDocProblems());

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.error(`lint: ${files.length} files follow the house rules`);
