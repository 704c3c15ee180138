/** beacon-chain.md process_eth1_data. */
import {EPOCHS_PER_ETH1_VOTING_PERIOD, SLOTS_PER_EPOCH} from "../../params/index.ts";
import {ssz, type BeaconBlockBody} from "../../types/index.ts";
import {bytesEqual} from "../../util/bytes.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";

export function processEth1Data(s: CachedBeaconState, body: BeaconBlockBody): void {
  const {state} = s;
  const vote = body.eth1_data;
  // Compare roots: every stored vote's root is cached in its tree node after the first hash.
  const voteRoot = ssz.Eth1Data.hashTreeRoot(vote);
  state.eth1_data_votes.commit();
  let count = 1; // the vote appended below
  for (const stored of state.eth1_data_votes.getAllReadonly()) {
    if (bytesEqual(stored.hashTreeRoot(), voteRoot)) count++;
  }
  state.eth1_data_votes.push(ssz.Eth1Data.toViewDU(vote));
  if (count * 2 > EPOCHS_PER_ETH1_VOTING_PERIOD * SLOTS_PER_EPOCH) {
    state.eth1_data = ssz.Eth1Data.toViewDU(vote);
  }
}
