import type { Generator } from "./types";
import { jsonSchemaGenerator } from "./json-schema";
import { ansibleVarsGenerator } from "./ansible";
import { monitoringGenerator } from "./monitoring";
import { ciFactsGenerator } from "./ci";
import { jenkinsGenerator } from "./jenkins";

/**
 * Every artefact writer `shipyard snapshot` runs, in order. Add a generator here when a new kind of
 * reviewed file lands in `generated/`.
 */
export const GENERATORS: readonly Generator[] = [
  jsonSchemaGenerator,
  ansibleVarsGenerator,
  monitoringGenerator,
  ciFactsGenerator,
  jenkinsGenerator,
];

export type { Generator } from "./types";
