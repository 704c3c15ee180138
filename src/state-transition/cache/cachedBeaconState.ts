/** A tree-backed state together with its epoch caches: what every state-transition entry takes. */
import type {ChainConfig} from "../../params/index.ts";
import type {BeaconStateView} from "../../types/index.ts";
import {EpochContext} from "./epochContext.ts";
import type {PubkeyCache} from "./pubkeyCache.ts";

export interface CachedBeaconState {
  state: BeaconStateView;
  epochCtx: EpochContext;
}

export interface CreateCachedBeaconStateOpts {
  /** Reuse the pubkey cache of another state of the same chain (saves rebuilding it). */
  pubkeyCache?: PubkeyCache;
}

/** `config` is the chain config of the state's chain: the state transition reads it from the epoch context. */
export function createCachedBeaconState(
  state: BeaconStateView,
  config: ChainConfig,
  opts: CreateCachedBeaconStateOpts = {}
): CachedBeaconState {
  return {state, epochCtx: EpochContext.createFromState(state, config, opts.pubkeyCache)};
}

/**
 * Cheap: a ViewDU clone (structural sharing) and the same epoch caches. The ViewDU's node caches
 * move to the clone (the one that will be worked on) unless `keepCache`; the original keeps its
 * value either way.
 */
export function cloneCachedBeaconState(s: CachedBeaconState, keepCache = false): CachedBeaconState {
  // Uncommitted changes are not part of the node a clone starts from.
  s.state.commit();
  return {state: s.state.clone(keepCache), epochCtx: s.epochCtx.clone()};
}
