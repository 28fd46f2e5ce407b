import { EU_WEST_1 } from "./eu-west-1";
import type { PriceTable } from "./types";

/** Price tables by region; a region used by an environment needs one here. */
export const PRICE_TABLES: ReadonlyMap<string, PriceTable> = new Map([[EU_WEST_1.region, EU_WEST_1]]);

export type { PriceTable, Price } from "./types";
