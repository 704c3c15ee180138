/** beacon-chain.md process_block. Mutates `s`; on a thrown error `s` is partly updated. */
import type {BeaconBlock} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {processBlockHeader} from "./processBlockHeader.ts";
import {processEth1Data} from "./processEth1Data.ts";
import {processOperations} from "./processOperations.ts";
import {processRandao} from "./processRandao.ts";
import type {BlockProcessingOpts} from "./types.ts";

export function processBlock(s: CachedBeaconState, block: BeaconBlock, opts: BlockProcessingOpts = {}): void {
  processBlockHeader(s, block);
  processRandao(s, block.body, opts);
  processEth1Data(s, block.body);
  processOperations(s, block.body, opts);
}
