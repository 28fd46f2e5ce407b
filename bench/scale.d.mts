/** The environment file `text` with `count` more applications, copies of its first one. */
export function withExtraApplications(text: string, count: number): string;
/** `count` environments copied from `text`, named `bench-001` …, as file name → text. */
export function environmentCopies(text: string, count: number): Map<string, string>;
/** Writes a project folder at `dir` (the checkout's cdktf.json and `environments/` holding only `files`); returns `dir`. */
export function writeProject(dir: string, root: string, files: Iterable<[string, string]>): string;
