/**
 * Attestations the node has seen (API, gossip), grouped by slot and attestation data root, kept
 * as aggregates: a new attestation whose bits are disjoint from an aggregate's is merged into it
 * (bits OR-ed, signatures aggregated); one that adds nothing is dropped. This serves
 * getAggregateAttestation (the aggregator's duty) and block production.
 */
import type {BitArray} from "@chainsafe/ssz";
import type {Signature} from "@chainsafe/blst";
import {aggregateVerified} from "../../crypto/index.ts";
import type {Attestation, AttestationData} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";
import {countBits, isDisjoint, isSubsetOf, orBits} from "./bits.ts";
import type {KnownAggregates} from "./knownAggregates.ts";

export interface PooledAggregate {
  bits: BitArray;
  signature: Uint8Array;
  /** `signature` as a point, once merged: the next merge starts from it instead of decoding. */
  point?: Signature;
  count: number;
}

export interface PooledData {
  data: AttestationData;
  dataRoot: Uint8Array;
  aggregates: PooledAggregate[];
}

export type AddResult = "added" | "merged" | "known";

/** Aggregates kept per data: distinct overlapping aggregates beyond this add little. */
const MAX_AGGREGATES_PER_DATA = 16;

export class AttestationPool {
  private readonly bySlot = new Map<number, Map<string, PooledData>>();
  private lowestSlot = 0;
  private readonly known: KnownAggregates | undefined;

  /** `known` learns every aggregate the pool builds (all from verified signatures). */
  constructor(known?: KnownAggregates) {
    this.known = known;
  }

  /** Adds an attestation whose signature and committee were already validated. */
  add(att: Attestation, dataRoot: Uint8Array): AddResult {
    const slot = att.data.slot;
    if (slot < this.lowestSlot) return "known";
    let byData = this.bySlot.get(slot);
    if (byData === undefined) {
      byData = new Map();
      this.bySlot.set(slot, byData);
    }
    const key = toHex(dataRoot);
    let entry = byData.get(key);
    if (entry === undefined) {
      entry = {data: att.data, dataRoot, aggregates: []};
      byData.set(key, entry);
    }
    const bits = att.aggregation_bits;
    for (const agg of entry.aggregates) {
      if (agg.bits.bitLen === bits.bitLen && isSubsetOf(bits, agg.bits)) return "known";
    }
    for (const agg of entry.aggregates) {
      if (agg.bits.bitLen === bits.bitLen && isDisjoint(bits, agg.bits)) {
        // Both were verified before they came here: no subgroup check again.
        agg.point = aggregateVerified([agg.point ?? agg.signature, att.signature]);
        agg.signature = agg.point.toBytes();
        agg.bits = orBits(agg.bits, bits);
        agg.count = countBits(agg.bits);
        this.known?.add(slot, key, agg.bits, agg.signature);
        this.dropSubsumed(entry, agg);
        return "merged";
      }
    }
    const added: PooledAggregate = {bits: cloneBits(bits), signature: att.signature, count: countBits(bits)};
    entry.aggregates.push(added);
    this.known?.add(slot, key, added.bits, added.signature);
    this.dropSubsumed(entry, added);
    if (entry.aggregates.length > MAX_AGGREGATES_PER_DATA) {
      entry.aggregates.sort((a, b) => b.count - a.count);
      entry.aggregates.length = MAX_AGGREGATES_PER_DATA;
    }
    return "added";
  }

  /** The aggregate with the most participants for this data, or null. */
  getAggregate(slot: number, dataRoot: Uint8Array): Attestation | null {
    const entry = this.bySlot.get(slot)?.get(toHex(dataRoot));
    if (entry === undefined || entry.aggregates.length === 0) return null;
    let best = entry.aggregates[0];
    for (const agg of entry.aggregates) if (agg.count > best.count) best = agg;
    return toAttestation(entry.data, best);
  }

  /** Every pooled aggregate, optionally filtered by slot and committee index. */
  getAll(filter: {slot?: number; committeeIndex?: number} = {}): Attestation[] {
    const out: Attestation[] = [];
    for (const [slot, byData] of this.bySlot) {
      if (filter.slot !== undefined && slot !== filter.slot) continue;
      for (const entry of byData.values()) {
        if (filter.committeeIndex !== undefined && entry.data.index !== filter.committeeIndex) continue;
        for (const agg of entry.aggregates) out.push(toAttestation(entry.data, agg));
      }
    }
    return out;
  }

  /** Pooled data with slot in [fromSlot, toSlot]. */
  *entriesInSlotRange(fromSlot: number, toSlot: number): Iterable<PooledData> {
    for (const [slot, byData] of this.bySlot) {
      if (slot < fromSlot || slot > toSlot) continue;
      yield* byData.values();
    }
  }

  /** Drops everything below `slot`. */
  pruneBefore(slot: number): void {
    this.lowestSlot = Math.max(this.lowestSlot, slot);
    for (const s of this.bySlot.keys()) if (s < slot) this.bySlot.delete(s);
  }

  get size(): number {
    let n = 0;
    for (const byData of this.bySlot.values()) for (const e of byData.values()) n += e.aggregates.length;
    return n;
  }

  private dropSubsumed(entry: PooledData, by: PooledAggregate): void {
    entry.aggregates = entry.aggregates.filter((a) => a === by || a.bits.bitLen !== by.bits.bitLen || !isSubsetOf(a.bits, by.bits));
  }
}

function cloneBits(bits: BitArray): BitArray {
  return bits.clone();
}

export function toAttestation(data: AttestationData, agg: PooledAggregate): Attestation {
  return {aggregation_bits: cloneBits(agg.bits), data, signature: agg.signature};
}
