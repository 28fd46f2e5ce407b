import { main } from "./program";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`shipyard: internal error: ${String(error)}\n`);
    process.exitCode = 70;
  },
);
