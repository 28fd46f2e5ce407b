import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requireTool } from "../support/tools";
import { groovy, javaHome, ROOT } from "./support/groovy";
import { tempDir } from "../support/temp-dirs";

/**
 * The Groovy the controller runs: the Jenkinsfile and the generated Job DSL script compile, and CodeNarc's
 * Jenkinsfile rule set (npm-groovy-lint, .groovylintrc.json) finds no error in either.
 */

const FILES = ["Jenkinsfile", join("generated", "jenkins", "tools", "jobs.groovy")];
const PARSE = join(__dirname, "support", "ParseOnly.groovy");

describe.skipIf(!requireTool("groovy"))("Groovy compiles", () => {
  it("the Jenkinsfile and the Job DSL script", () => {
    expect(
      groovy(
        PARSE,
        FILES.map((f) => join(ROOT, f)),
      )
        .trim()
        .split("\n"),
    ).toEqual(FILES.map((f) => `ok ${join(ROOT, f)}`));
  }, 240_000);

  it("refuses a script that does not compile (the check is real)", () => {
    const bad = join(tempDir("shipyard-groovy-"), "Jenkinsfile");
    writeFileSync(bad, "pipeline { stages { stage('x') { steps { sh 'a' } }\n");
    let stdout = "";
    try {
      groovy(PARSE, [bad]);
    } catch (error) {
      stdout = String((error as { stdout?: string }).stdout);
    }
    expect(stdout).toMatch(/^error .*Jenkinsfile: /);
  }, 240_000);
});

interface LintReport {
  summary: { totalFoundErrorNumber: number; totalFilesLinted: number };
  files: Record<string, { errors: { rule: string; severity: string; line: number; msg: string }[] }>;
}

describe.skipIf(!requireTool("java"))("npm-groovy-lint (CodeNarc, Jenkinsfile rules)", () => {
  it("finds no error in the Jenkinsfile or the Job DSL script", () => {
    let out: string;
    try {
      out = execFileSync(
        join(ROOT, "node_modules", ".bin", "npm-groovy-lint"),
        ["--noserver", "--failon", "error", "--output", "json", "--config", join(ROOT, ".groovylintrc.json"), ...FILES],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, JAVA_HOME: javaHome() },
          maxBuffer: 64 * 1024 * 1024,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
    } catch (error) {
      out = (error as { stdout?: string }).stdout ?? "";
    }
    const report = JSON.parse(out.slice(out.indexOf("{"))) as LintReport;
    expect(report.summary.totalFilesLinted).toBe(FILES.length);
    const errors = Object.entries(report.files).flatMap(([file, r]) =>
      r.errors.filter((e) => e.severity === "error").map((e) => `${file}:${e.line} ${e.rule} ${e.msg}`),
    );
    expect(errors).toEqual([]);
    expect(report.summary.totalFoundErrorNumber).toBe(0);
  }, 600_000);
});
