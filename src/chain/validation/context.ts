/**
 * What the gossip validation functions read: fork choice, the state caches, the clock's slot
 * arithmetic, the seen caches and the BLS verifier. Validation only reads the chain (the seen
 * caches are written by the import step), so the same functions serve gossip, the REST pool
 * endpoints and the spec's networking vectors (which substitute the finalized checkpoint).
 */
import type {AsyncSignatureVerifier} from "../../crypto/index.ts";
import type {CheckpointHex, ForkChoice} from "../../fork-choice/index.ts";
import type {ChainConfig} from "../../params/index.ts";
import type {CachedBeaconState} from "../../state-transition/index.ts";
import type {SeenAggregates} from "../seen/seenAggregates.ts";
import type {SeenAggregators, SeenAttesters} from "../seen/seenAttesters.ts";
import type {SeenBlockProposers} from "../seen/seenBlockProposers.ts";
import type {SeenValidators} from "../seen/seenValidators.ts";
import type {InvalidBlocks} from "../seen/invalidBlocks.ts";
import type {StateRegen} from "../stateCache/stateRegen.ts";

export interface SeenCaches {
  readonly attesters: SeenAttesters;
  readonly aggregators: SeenAggregators;
  readonly aggregates: SeenAggregates;
  readonly blockProposers: SeenBlockProposers;
  readonly voluntaryExits: SeenValidators;
  readonly proposerSlashings: SeenValidators;
  readonly attesterSlashings: SeenValidators;
  readonly invalidBlocks: InvalidBlocks;
}

export interface ValidationContext {
  /** The chain config (clock disparity, propagation range, subnet count, fork versions). */
  readonly config: ChainConfig;
  readonly forkChoice: Pick<ForkChoice, "hasBlock" | "getBlock" | "getCheckpointBlock">;
  readonly regen: Pick<StateRegen, "getCheckpointState" | "getPreState">;
  readonly clock: {slotStartMs(slot: number): number};
  readonly blsVerifier: AsyncSignatureVerifier;
  readonly seen: SeenCaches;
  /** store.finalized_checkpoint. */
  finalizedCheckpoint(): CheckpointHex;
  /** The head state (read only): the `state` of the p2p validation functions. */
  headState(): CachedBeaconState;
}
