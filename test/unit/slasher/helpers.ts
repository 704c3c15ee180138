import type {IndexedAttestation, SignedBeaconBlockHeader} from "../../../src/types/index.ts";

const filled = (n: number, b: number): Uint8Array => new Uint8Array(n).fill(b);

/** An IndexedAttestation whose block root and signature carry `tag`, so different tags mean different data. */
export function att(indices: number[], source: number, target: number, tag = 1): IndexedAttestation {
  return {
    attesting_indices: indices,
    data: {
      slot: target * 32,
      index: 0,
      beacon_block_root: filled(32, tag),
      source: {epoch: source, root: filled(32, 0xa0 + (source % 16))},
      target: {epoch: target, root: filled(32, 0xb0 + (target % 16))},
    },
    signature: filled(96, tag),
  };
}

export function header(slot: number, proposer: number, tag = 1): SignedBeaconBlockHeader {
  return {
    message: {slot, proposer_index: proposer, parent_root: filled(32, 1), state_root: filled(32, tag), body_root: filled(32, 3)},
    signature: filled(96, tag),
  };
}
