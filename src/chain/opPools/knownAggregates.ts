/**
 * Aggregates (data root, aggregation bits, signature) whose signature the node has verified or
 * built from verified signatures. A block that carries one of them exactly (as blocks built
 * from this node's pool do) need not have that signature checked again.
 *
 * Kept for the slots whose attestations a block can still include (the chain prunes them with
 * the attestation pool), and at most `max` of them whatever the slot: an entry costs about half
 * a KiB, and a count bound alone would hold aggregates of long-gone slots until it filled.
 */
import type {BitArray} from "@chainsafe/ssz";
import {toHex} from "../../util/bytes.ts";
import {LruCache} from "../stateCache/lru.ts";

export class KnownAggregates {
  /** Key -> the attestation's slot. */
  private readonly keys: LruCache<string, number>;
  private lowestSlot = 0;

  constructor(max = 8192) {
    this.keys = new LruCache(max);
  }

  private static key(dataRootHex: string, bits: BitArray, signature: Uint8Array): string {
    return `${dataRootHex}:${bits.bitLen}:${toHex(bits.uint8Array)}:${toHex(signature)}`;
  }

  /** Records an aggregate of an attestation of `slot`; one below the pruned slots is ignored. */
  add(slot: number, dataRootHex: string, bits: BitArray, signature: Uint8Array): void {
    if (slot < this.lowestSlot) return;
    this.keys.set(KnownAggregates.key(dataRootHex, bits, signature), slot);
  }

  has(dataRootHex: string, bits: BitArray, signature: Uint8Array): boolean {
    return this.keys.has(KnownAggregates.key(dataRootHex, bits, signature));
  }

  /** Forgets the aggregates of attestations before `slot`. */
  pruneBefore(slot: number): void {
    if (slot <= this.lowestSlot) return;
    this.lowestSlot = slot;
    this.keys.prune((_, s) => s < slot);
  }

  get size(): number {
    return this.keys.size;
  }
}
