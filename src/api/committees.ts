/**
 * Beacon committees of any epoch a state can answer for. The state's epoch context caches the
 * previous, current and next epoch; older epochs are shuffled here from the state's registry and
 * randao mixes, exactly as get_beacon_committee would, as long as the seed's mix is still held.
 */
import {
  computeEpochShuffling,
  getActiveValidatorIndices,
  getCurrentEpoch,
  getSeed,
  type CachedBeaconState,
  type EpochShuffling,
} from "../state-transition/index.ts";
import {DOMAIN_BEACON_ATTESTER, EPOCHS_PER_HISTORICAL_VECTOR, MIN_SEED_LOOKAHEAD} from "../params/index.ts";
import {badRequest} from "./errors.ts";

/** The epochs whose committees `state` determines: get_seed needs the mix of epoch - MIN_SEED_LOOKAHEAD - 1. */
export function committeeEpochRange(cached: CachedBeaconState): {min: number; max: number} {
  const current = getCurrentEpoch(cached.state);
  return {min: Math.max(0, current - EPOCHS_PER_HISTORICAL_VECTOR + MIN_SEED_LOOKAHEAD + 2), max: current + MIN_SEED_LOOKAHEAD};
}

export function committeesAtEpoch(cached: CachedBeaconState, epoch: number): EpochShuffling {
  const ref = cached.epochCtx.getShufflingRefAtEpoch(epoch);
  if (ref !== null) return ref.get();
  const {min, max} = committeeEpochRange(cached);
  if (epoch < min || epoch > max) {
    throw badRequest(`Epoch ${epoch} is out of range for this state: it determines the committees of epochs ${min}..${max}`);
  }
  const state = cached.state;
  return computeEpochShuffling(epoch, getActiveValidatorIndices(state, epoch), getSeed(state, epoch, DOMAIN_BEACON_ATTESTER));
}
