/**
 * The slasher's history bounds, apart from the slasher itself so that the CLI can check its
 * flags without loading the slasher.
 */
export const DEFAULT_HISTORY_EPOCHS = 4096;
/** Distances are u16 and 0xffff means "none": a history must stay below it. */
export const MAX_HISTORY_EPOCHS = 0xfff0;
