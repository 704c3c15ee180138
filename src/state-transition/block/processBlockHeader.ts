/** beacon-chain.md process_block_header. */
import {ssz, type BeaconBlock} from "../../types/index.ts";
import {bytesEqual} from "../../util/bytes.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {BlockProcessingError} from "../errors.ts";
import {bodyRoot} from "./bodyRoot.ts";

const ZERO_ROOT = new Uint8Array(32);

export function processBlockHeader(s: CachedBeaconState, block: BeaconBlock): void {
  const {state, epochCtx} = s;
  const slot = state.slot;
  if (block.slot !== slot) {
    throw new BlockProcessingError("BLOCK_HEADER_INVALID_SLOT", `block slot ${block.slot} is not the state slot ${slot}`);
  }
  const latest = state.latest_block_header;
  if (!(block.slot > latest.slot)) {
    throw new BlockProcessingError(
      "BLOCK_HEADER_NOT_NEWER",
      `block slot ${block.slot} is not after the latest block header's slot ${latest.slot}`
    );
  }
  const proposerIndex = epochCtx.getBeaconProposer(slot);
  if (block.proposer_index !== proposerIndex) {
    throw new BlockProcessingError(
      "BLOCK_HEADER_INVALID_PROPOSER_INDEX",
      `block proposer index ${block.proposer_index} is not the slot's proposer ${proposerIndex}`
    );
  }
  if (!bytesEqual(block.parent_root, latest.hashTreeRoot())) {
    throw new BlockProcessingError("BLOCK_HEADER_INVALID_PARENT_ROOT", "block parent root is not the latest block header's root");
  }
  state.latest_block_header = ssz.BeaconBlockHeader.toViewDU({
    slot: block.slot,
    proposer_index: block.proposer_index,
    parent_root: block.parent_root,
    state_root: ZERO_ROOT,
    body_root: bodyRoot(block.body),
  });
  if (state.validators.getReadonly(block.proposer_index).slashed) {
    throw new BlockProcessingError("BLOCK_HEADER_PROPOSER_SLASHED", `proposer ${block.proposer_index} is slashed`);
  }
}
