/**
 * The group's duties that a behaviour does not subvert, done as an honest validator client
 * would: the proposal on the node's head, one vote per member on the node's head, published to
 * everyone the group reaches. Without them the group would merely look offline.
 */
import {ChainRequestError} from "../../chain/errors.ts";
import type {AttestationData, SignedBeaconBlock} from "../../types/index.ts";
import type {AdversaryContext, BehaviourKind} from "../types.ts";
import {blockRootHex, proposeOnHead} from "./blocks.ts";
import {baseOnChain, castVotes, groupProposer, type Vote} from "./duties.ts";

type Fields = Record<string, string | number | boolean | null>;

/** One trace line of a behaviour. */
export function note(ctx: AdversaryContext, behaviour: BehaviourKind, action: string, fields: Fields = {}): void {
  ctx.trace({kind: "byzantine", node: ctx.nodeIndex, behaviour, action, ...fields});
}

export function sendBlock(ctx: AdversaryContext, signed: SignedBeaconBlock, opts?: {to?: number[]; delayMs?: number}): void {
  ctx.send({kind: "beacon_block", value: signed}, opts);
}

export function sendVotes(ctx: AdversaryContext, votes: readonly Vote[], opts?: {to?: number[]; delayMs?: number}): void {
  for (const v of votes) ctx.send({kind: "beacon_attestation", subnet: v.subnet, value: v.attestation}, opts);
}

/** The group's proposer of `slot` on the node's head, or null when the slot is not the group's. */
export function proposerOnHead(ctx: AdversaryContext, slot: number): number | null {
  return groupProposer(ctx, ctx.chain.headRoot, slot);
}

/** Proposes on the head if the slot is the group's; the block sent, or null. */
export async function proposeHonestly(ctx: AdversaryContext, behaviour: BehaviourKind, slot: number): Promise<SignedBeaconBlock | null> {
  const proposer = proposerOnHead(ctx, slot);
  if (proposer === null) return null;
  const signed = await tryPropose(ctx, behaviour, slot, proposer, "");
  if (signed === null) return null;
  sendBlock(ctx, signed);
  note(ctx, behaviour, "propose", {slot, validator: proposer, root: blockRootHex(signed.message)});
  return signed;
}

/** A block on the head, or null (traced) when the node cannot produce one now (e.g. the head is already at the slot). */
export async function tryPropose(ctx: AdversaryContext, behaviour: BehaviourKind, slot: number, proposer: number, text: string): Promise<SignedBeaconBlock | null> {
  try {
    return await proposeOnHead(ctx, slot, proposer, text);
  } catch (e) {
    if (!(e instanceof ChainRequestError)) throw e;
    note(ctx, behaviour, "propose_failed", {slot, validator: proposer, reason: e.code});
    return null;
  }
}

/** The votes the group's members owe at `slot`, for the node's head (not sent); `edit` as in castVotes. */
export function headVotes(ctx: AdversaryContext, slot: number, edit?: (data: AttestationData, validator: number) => AttestationData): Vote[] {
  return castVotes(ctx, slot, baseOnChain(ctx.chain, ctx.chain.headRoot, slot), {edit});
}

/** Every member with a duty at `slot` votes for the node's head; the votes sent. */
export function attestHonestly(ctx: AdversaryContext, behaviour: BehaviourKind, slot: number): Vote[] {
  const votes = headVotes(ctx, slot);
  sendVotes(ctx, votes);
  if (votes.length > 0) note(ctx, behaviour, "attest", {slot, votes: votes.length, root: ctx.chain.headRoot});
  return votes;
}

/** The reachable nodes in two halves (sorted by index; the first half has the extra node). */
export function halves(ctx: AdversaryContext): [number[], number[]] {
  const nodes = [...ctx.reachableNodes()].sort((a, b) => a - b);
  const cut = Math.ceil(nodes.length / 2);
  return [nodes.slice(0, cut), nodes.slice(cut)];
}
