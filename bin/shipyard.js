#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's transpile-only loader: no type-checking on the
// synth path (that is `npm run typecheck`), no build step to forget.
"use strict";
require("tsx/cjs");
require("../src/cli/main.ts");
