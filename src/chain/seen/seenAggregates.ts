/**
 * Aggregation bitfields seen per attestation data root (p2p beacon_aggregate_and_proof: ignore an
 * aggregate when a seen one is a non-strict superset of it).
 */
import type {BitArray} from "@chainsafe/ssz";
import {isSubsetOf} from "../opPools/bits.ts";

export class SeenAggregates {
  private readonly bySlot = new Map<number, Map<string, BitArray[]>>();
  private lowestSlot = 0;

  /** True when an aggregate seen for this data covers every bit of `bits` (is_non_strict_superset). */
  isKnown(slot: number, dataRootHex: string, bits: BitArray): boolean {
    const seen = this.bySlot.get(slot)?.get(dataRootHex);
    if (seen === undefined) return false;
    return seen.some((prior) => prior.bitLen === bits.bitLen && isSubsetOf(bits, prior));
  }

  add(slot: number, dataRootHex: string, bits: BitArray): void {
    if (slot < this.lowestSlot) return;
    let m = this.bySlot.get(slot);
    if (m === undefined) {
      m = new Map();
      this.bySlot.set(slot, m);
    }
    const list = m.get(dataRootHex);
    if (list === undefined) m.set(dataRootHex, [bits.clone()]);
    else list.push(bits.clone());
  }

  pruneBefore(slot: number): void {
    this.lowestSlot = Math.max(this.lowestSlot, slot);
    for (const s of this.bySlot.keys()) if (s < slot) this.bySlot.delete(s);
  }
}
