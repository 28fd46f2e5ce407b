/** Setup file of every test file: what `tempDir` created goes when the file ends. */
import { afterAll } from "vitest";
import { removeTempDirs } from "./temp-dirs";

afterAll(removeTempDirs);
