/**
 * The benchmark pre-state of INPUTS.md without its pending attestations (those need the state's
 * own committees, see pendingAttestations.ts): registry, history, randao, eth1 and checkpoints.
 */
import {BitArray} from "@chainsafe/ssz";
import {EPOCHS_PER_HISTORICAL_VECTOR, SLOTS_PER_HISTORICAL_ROOT} from "../../src/params/index.ts";
import {computeEpochAtSlot, computeStartSlotAtEpoch} from "../../src/state-transition/util/epoch.ts";
import {ssz, type BeaconStateView} from "../../src/types/index.ts";
import {
  BENCH_ETH1_BLOCK_HASH,
  BENCH_ETH1_DEPOSIT_ROOT,
  BENCH_GENESIS_TIME,
  BENCH_GENESIS_VALIDATORS_ROOT,
  BENCH_HEADER_BODY_ROOT,
  benchBlockRoot,
  benchRandaoMix,
  benchStateRoot,
} from "./layout.ts";
import {buildBalances, buildValidators} from "./registry.ts";
import {BenchInputError} from "./errors.ts";

/** The checkpoint (e, block_root(start(e))) of the inputs. */
export function benchCheckpoint(epoch: number): {epoch: number; root: Uint8Array} {
  return {epoch, root: benchBlockRoot(computeStartSlotAtEpoch(epoch))};
}

/**
 * `pubkeys`: at least `count` interop keys, 48 bytes each. The slot must leave room for the
 * three checkpoint epochs below it and a full block-root history.
 */
export function buildBaseState(count: number, slot: number, pubkeys: Uint8Array): BeaconStateView {
  const epoch = computeEpochAtSlot(slot);
  if (epoch < 3 || slot < SLOTS_PER_HISTORICAL_ROOT) {
    throw new BenchInputError("BENCH_UNSUPPORTED_INPUT", `slot ${slot} is too early for the benchmark layout`);
  }
  const T = ssz.BeaconState.fields;
  const state = ssz.BeaconState.defaultViewDU();
  state.genesis_time = BENCH_GENESIS_TIME;
  state.genesis_validators_root = BENCH_GENESIS_VALIDATORS_ROOT();
  state.slot = slot;
  state.fork = T.fork.toViewDU({previous_version: new Uint8Array(4), current_version: new Uint8Array(4), epoch: 0});
  state.latest_block_header = T.latest_block_header.toViewDU({
    slot,
    proposer_index: 0,
    parent_root: benchBlockRoot(slot - 1),
    state_root: new Uint8Array(32),
    body_root: BENCH_HEADER_BODY_ROOT(),
  });

  // Every slot of [slot - SLOTS_PER_HISTORICAL_ROOT, slot - 1] had a block, so each ring entry is set.
  const blockRoots = new Array<Uint8Array>(SLOTS_PER_HISTORICAL_ROOT);
  const stateRoots = new Array<Uint8Array>(SLOTS_PER_HISTORICAL_ROOT);
  for (let s = slot - SLOTS_PER_HISTORICAL_ROOT; s < slot; s++) {
    blockRoots[s % SLOTS_PER_HISTORICAL_ROOT] = benchBlockRoot(s);
    stateRoots[s % SLOTS_PER_HISTORICAL_ROOT] = benchStateRoot(s);
  }
  state.block_roots = T.block_roots.toViewDU(blockRoots);
  state.state_roots = T.state_roots.toViewDU(stateRoots);

  state.eth1_data = T.eth1_data.toViewDU({
    deposit_root: BENCH_ETH1_DEPOSIT_ROOT(),
    deposit_count: count,
    block_hash: BENCH_ETH1_BLOCK_HASH(),
  });
  state.eth1_deposit_index = count;
  state.validators = buildValidators(pubkeys, count);
  state.balances = buildBalances(count);
  state.randao_mixes = T.randao_mixes.toViewDU(Array.from({length: EPOCHS_PER_HISTORICAL_VECTOR}, (_, j) => benchRandaoMix(j)));

  state.justification_bits = T.justification_bits.toViewDU(BitArray.fromBoolArray([true, true, false, false]));
  state.previous_justified_checkpoint = T.previous_justified_checkpoint.toViewDU(benchCheckpoint(epoch - 2));
  state.current_justified_checkpoint = T.current_justified_checkpoint.toViewDU(benchCheckpoint(epoch - 1));
  state.finalized_checkpoint = T.finalized_checkpoint.toViewDU(benchCheckpoint(epoch - 3));
  state.commit();
  return state;
}
