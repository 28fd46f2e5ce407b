import { execFileSync } from "node:child_process";
import { copyFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
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

/**
 * A short-lived JVM: the C1 compiler alone and a serial collector start CodeNarc in about half the CPU time of
 * npm-groovy-lint's defaults (-Xms256m,-Xmx2048m, which --javaoptions replaces). Results are the same.
 */
const LINT_JAVA_OPTIONS = "-Xms256m,-Xmx1024m,-XX:TieredStopAtLevel=1,-XX:+UseSerialGC";

/** Code after a `throw`: CodeNarc's DeadCode, an error in the Jenkinsfile rule set. */
const UNREACHABLE = `pipeline {
    agent none
    stages {
        stage('x') {
            steps {
                script {
                    throw new IllegalStateException('stop')
                    echo 'never'
                }
            }
        }
    }
}
`;

describe.skipIf(!requireTool("java"))("npm-groovy-lint (CodeNarc, Jenkinsfile rules)", () => {
  it("finds no error in the Jenkinsfile or the Job DSL script, and the DeadCode error in a script that has one", () => {
    // CodeNarc walks its whole base directory: it lints copies in a folder of their own, in one JVM.
    const dir = tempDir("shipyard-codenarc-");
    const names = FILES.map((f) => basename(f));
    for (const f of FILES) copyFileSync(join(ROOT, f), join(dir, basename(f)));
    writeFileSync(join(dir, "Unreachable.groovy"), UNREACHABLE);
    let out: string;
    try {
      out = execFileSync(
        join(ROOT, "node_modules", ".bin", "npm-groovy-lint"),
        [
          "--noserver",
          // Compilation is the "Groovy compiles" suite's; CodeNarc's own parse pass would repeat it.
          "--no-parse",
          // One argument: a separate value starting with "-" is taken for an option.
          `--javaoptions=${LINT_JAVA_OPTIONS}`,
          "--output",
          "json",
          "--config",
          join(ROOT, ".groovylintrc.json"),
          ...names,
          "Unreachable.groovy",
        ],
        {
          cwd: dir,
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
    expect(report.summary.totalFilesLinted).toBe(FILES.length + 1);
    const errors = Object.entries(report.files).flatMap(([file, r]) =>
      r.errors.filter((e) => e.severity === "error").map((e) => `${basename(file)}:${e.line} ${e.rule}`),
    );
    expect(errors).toEqual(["Unreachable.groovy:8 DeadCode"]);
  }, 600_000);
});
