/**
 * Blocks the group proposes: on the node's head through the chain's own block production, or
 * on any other parent (a known branch that is not the head, or a private block only the group
 * holds) from that parent's state, with the pool's attestations that apply to it plus any the
 * group adds. Either way the block is complete and signed: receivers run the full state
 * transition on it.
 */
import {packAttestations} from "../../chain/production/packAttestations.ts";
import {votedUnderShufflingOf} from "../../chain/shuffling.ts";
import {MAX_ATTESTATIONS} from "../../params/index.ts";
import {
  cloneCachedBeaconState,
  computeEpochAtSlot,
  processBlock,
  processSlots,
  type CachedBeaconState,
} from "../../state-transition/index.ts";
import {ssz, type Attestation, type BeaconBlock, type SignedBeaconBlock} from "../../types/index.ts";
import {fromHex, toHex} from "../../util/bytes.ts";
import type {AdversaryContext} from "../types.ts";
import {randaoReveal, signBlock} from "./signing.ts";

type Proposer = Pick<AdversaryContext, "chain" | "secretKeys">;

export interface BuiltBlock {
  signed: SignedBeaconBlock;
  rootHex: string;
  /** The block's post-state (the group's own copy). */
  post: CachedBeaconState;
}

/** 32 bytes of graffiti from a short label. */
export function graffiti(text: string): Uint8Array {
  const out = new Uint8Array(32);
  out.set(new TextEncoder().encode(text).subarray(0, 32));
  return out;
}

export function blockRootHex(block: BeaconBlock): string {
  return toHex(ssz.BeaconBlock.hashTreeRoot(block));
}

/** A block on the node's current head, produced by the chain as for an honest validator client. */
export async function proposeOnHead(ctx: Proposer, slot: number, proposer: number, text: string): Promise<SignedBeaconBlock> {
  const {block} = await ctx.chain.produceBlock(slot, randaoReveal(ctx, proposer, computeEpochAtSlot(slot)), graffiti(text));
  return signBlock(ctx, block);
}

/** A block on a parent the node knows, whether or not it is the head. */
export function proposeOnParent(ctx: Proposer, parentRootHex: string, slot: number, text: string, extra: Attestation[] = []): BuiltBlock {
  return buildOnState(ctx, ctx.chain.regen.getStateAtSlot(parentRootHex, slot), parentRootHex, slot, text, extra);
}

/** A block on a private parent: `parentPost` is its post-state (not modified). */
export function proposeOnPrivate(ctx: Proposer, parentPost: CachedBeaconState, parentRootHex: string, slot: number, text: string, extra: Attestation[] = []): BuiltBlock {
  const pre = cloneCachedBeaconState(parentPost);
  processSlots(pre, slot);
  return buildOnState(ctx, pre, parentRootHex, slot, text, extra);
}

/** `pre` is the parent's state processed to `slot` (read only). */
function buildOnState(ctx: Proposer, pre: CachedBeaconState, parentRootHex: string, slot: number, text: string, extra: Attestation[]): BuiltBlock {
  const proposer = pre.epochCtx.getBeaconProposer(slot);
  const body = ssz.BeaconBlockBody.defaultValue();
  body.randao_reveal = randaoReveal(ctx, proposer, computeEpochAtSlot(slot));
  body.graffiti = graffiti(text);
  body.eth1_data = pre.state.eth1_data.toValue();
  const pooled = packAttestations(pre, ctx.chain.attestationPool, votedUnderShufflingOf(ctx.chain.forkChoice, pre.state, parentRootHex)).attestations;
  body.attestations = [...extra, ...pooled].slice(0, MAX_ATTESTATIONS);
  const block: BeaconBlock = {slot, proposer_index: proposer, parent_root: fromHex(parentRootHex), state_root: new Uint8Array(32), body};
  const post = cloneCachedBeaconState(pre);
  processBlock(post, block, {verifySignatures: false});
  block.state_root = post.state.hashTreeRoot();
  return {signed: signBlock(ctx, block), rootHex: blockRootHex(block), post};
}

