/** The environment file `text` with `count` more applications, copies of its first one. */
export function withExtraApplications(text: string, count: number): string;
/** `count` environments copied from `text`, named `bench-001` …, as file name → text. */
export function environmentCopies(text: string, count: number): Map<string, string>;
