/** beacon-chain.md process_registry_updates, on the lists gathered by beforeProcessEpoch. */
import {FAR_FUTURE_EPOCH} from "../../params/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";
import {initiateValidatorExit} from "../block/initiateValidatorExit.ts";
import {computeActivationExitEpoch} from "../util/epoch.ts";
import {beforeProcessEpoch, type EpochTransitionCache} from "./epochTransitionCache.ts";

export function processRegistryUpdates(s: CachedBeaconState, cache?: EpochTransitionCache): void {
  const c = cache ?? beforeProcessEpoch(s);
  const {state, epochCtx} = s;
  const validators = state.validators;
  const currentEpoch = c.currentEpoch;
  const nextNextEpoch = currentEpoch + 2;

  // Activation eligibility and ejections. The spec does both in one loop over the registry; they
  // touch different fields, and ejections keep index order (the exit queue depends on it).
  const registry = c.registry;
  for (const i of c.indicesEligibleForActivationQueue) {
    validators.get(i).activation_eligibility_epoch = currentEpoch + 1;
    registry.setFloat("activationEligibilityEpoch", i, currentEpoch + 1);
  }
  for (const i of c.indicesToEject) {
    initiateValidatorExit(s, i);
    const v = validators.getReadonly(i);
    registry.set(i, v);
    c.activeNextNext[i] = v.activation_epoch <= nextNextEpoch && nextNextEpoch < v.exit_epoch ? 1 : 0;
  }

  // Validators eligible for activation and not yet dequeued, ordered by eligibility epoch, then index.
  const finalizedEpoch = state.finalized_checkpoint.epoch;
  const queue: {index: number; eligibility: number}[] = [];
  for (const list of [c.indicesInActivationQueue, c.indicesEligibleForActivationQueue]) {
    for (const i of list) {
      const eligibility = registry.activationEligibilityEpoch[i];
      if (eligibility <= finalizedEpoch && registry.activationEpoch[i] === FAR_FUTURE_EPOCH) {
        queue.push({index: i, eligibility});
      }
    }
  }
  queue.sort((a, b) => a.eligibility - b.eligibility || a.index - b.index);
  const activationEpoch = computeActivationExitEpoch(currentEpoch);
  const churnLimit = epochCtx.churnLimit;
  for (let k = 0; k < queue.length && k < churnLimit; k++) {
    const i = queue[k].index;
    validators.get(i).activation_epoch = activationEpoch;
    registry.setFloat("activationEpoch", i, activationEpoch);
    c.activeNextNext[i] = activationEpoch <= nextNextEpoch && nextNextEpoch < registry.exitEpoch[i] ? 1 : 0;
  }
}
