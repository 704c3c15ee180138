/**
 * Aggregates (data root, aggregation bits, signature) whose signature the node has verified or
 * built from verified signatures. A block that carries one of them exactly (as blocks built
 * from this node's pool do) need not have that signature checked again.
 */
import type {BitArray} from "@chainsafe/ssz";
import {toHex} from "../../util/bytes.ts";
import {LruCache} from "../stateCache/lru.ts";

export class KnownAggregates {
  private readonly keys: LruCache<string, true>;

  constructor(max = 8192) {
    this.keys = new LruCache(max);
  }

  private static key(dataRootHex: string, bits: BitArray, signature: Uint8Array): string {
    return `${dataRootHex}:${bits.bitLen}:${toHex(bits.uint8Array)}:${toHex(signature)}`;
  }

  add(dataRootHex: string, bits: BitArray, signature: Uint8Array): void {
    this.keys.set(KnownAggregates.key(dataRootHex, bits, signature), true);
  }

  has(dataRootHex: string, bits: BitArray, signature: Uint8Array): boolean {
    return this.keys.has(KnownAggregates.key(dataRootHex, bits, signature));
  }
}
