/**
 * Typed reads and synced batch writes over the slashing-protection level database. No rules
 * here: the checks live in blockRules/attestationRules, serialization in store.
 */
import type {Level} from "level";
import * as keys from "./keys.ts";
import {NO_WATERMARKS, type AttestationRecord, type BlockRecord, type SigningRoot, type Watermarks} from "./records.ts";

export type SlashingDb = Level<Uint8Array, Uint8Array>;
export type WriteOp = {type: "put"; key: Uint8Array; value: Uint8Array};

export class SlashingRepository {
  readonly db: SlashingDb;
  constructor(db: SlashingDb) {
    this.db = db;
  }

  async getWatermarks(pubkey: Uint8Array): Promise<Watermarks> {
    const value = await this.db.get(keys.watermarksKey(pubkey));
    return value === undefined ? {...NO_WATERMARKS} : keys.decodeWatermarks(value);
  }

  async getBlock(pubkey: Uint8Array, slot: number): Promise<BlockRecord | null> {
    const value = await this.db.get(keys.blockKey(pubkey, slot));
    return value === undefined ? null : keys.decodeBlock(slot, value);
  }

  async getAttestation(pubkey: Uint8Array, target: number): Promise<AttestationRecord | null> {
    const value = await this.db.get(keys.attestationKey(pubkey, target));
    return value === undefined ? null : keys.decodeAttestation(target, value);
  }

  /** Stored blocks at each of `slots` (null where none), in one read. */
  async getBlocksAt(pubkey: Uint8Array, slots: number[]): Promise<(BlockRecord | null)[]> {
    const values = slots.length === 0 ? [] : await this.db.getMany(slots.map((s) => keys.blockKey(pubkey, s)));
    return values.map((v, i) => (v === undefined ? null : keys.decodeBlock(slots[i], v)));
  }

  /** Stored attestations at each of `targets` (null where none), in one read. */
  async getAttestationsAt(pubkey: Uint8Array, targets: number[]): Promise<(AttestationRecord | null)[]> {
    const values = targets.length === 0 ? [] : await this.db.getMany(targets.map((t) => keys.attestationKey(pubkey, t)));
    return values.map((v, i) => (v === undefined ? null : keys.decodeAttestation(targets[i], v)));
  }

  /**
   * A stored attestation that (source, target) would surround: source' > source and
   * target' < target. A record with source' <= target' can only match with target' in
   * (source, target), one range seek; records imported with source' > target' sit in their own
   * (normally empty) index and are all checked.
   */
  async findSurroundedBy(pubkey: Uint8Array, source: number, target: number): Promise<AttestationRecord | null> {
    const match = (a: AttestationRecord): boolean => a.sourceEpoch > source && a.targetEpoch < target;
    const inverted = await this.findInTargetRange(pubkey, keys.invertedAttestationRange(pubkey), match);
    if (inverted !== null || target - source < 2) return inverted;
    return this.findInTargetRange(pubkey, {gte: keys.attestationKey(pubkey, source + 1), lte: keys.attestationKey(pubkey, target - 1)}, match);
  }

  /** A stored attestation that surrounds (source, target): source' < source and target' > target. */
  async findSurrounding(pubkey: Uint8Array, source: number, target: number): Promise<AttestationRecord | null> {
    return this.findInTargetRange(pubkey, {gt: keys.attestationKey(pubkey, target), lte: keys.attestationRange(pubkey).lte}, (a) => a.sourceEpoch < source);
  }

  private async findInTargetRange(
    pubkey: Uint8Array,
    range: {gt?: Uint8Array; gte?: Uint8Array; lte: Uint8Array},
    match: (a: AttestationRecord) => boolean
  ): Promise<AttestationRecord | null> {
    for await (const [key, value] of this.db.iterator(range)) {
      const record = keys.decodeAttestation(keys.numberOfKey(key), value);
      if (match(record)) return record;
    }
    return null;
  }

  async blocks(pubkey: Uint8Array): Promise<BlockRecord[]> {
    const out: BlockRecord[] = [];
    for await (const [key, value] of this.db.iterator(keys.blockRange(pubkey))) out.push(keys.decodeBlock(keys.numberOfKey(key), value));
    return out;
  }

  async attestations(pubkey: Uint8Array): Promise<AttestationRecord[]> {
    const out: AttestationRecord[] = [];
    for await (const [key, value] of this.db.iterator(keys.attestationRange(pubkey))) {
      out.push(keys.decodeAttestation(keys.numberOfKey(key), value));
    }
    return out;
  }

  /** Every validator the store has a record or watermark for, in byte order. */
  async pubkeys(): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for await (const key of this.db.keys(keys.watermarksRange)) out.push(keys.pubkeyOfKey(key));
    return out;
  }

  async getGenesisValidatorsRoot(): Promise<Uint8Array | null> {
    const value = await this.db.get(keys.GVR_KEY);
    return value === undefined ? null : new Uint8Array(value);
  }

  /** One atomic batch, fsync'd before the promise resolves. */
  async write(ops: WriteOp[]): Promise<void> {
    if (ops.length > 0) await this.db.batch(ops, {sync: true});
  }
}

export const putWatermarks = (pubkey: Uint8Array, w: Watermarks): WriteOp => ({type: "put", key: keys.watermarksKey(pubkey), value: keys.encodeWatermarks(w)});
export const putBlock = (pubkey: Uint8Array, slot: number, root: SigningRoot): WriteOp => ({type: "put", key: keys.blockKey(pubkey, slot), value: keys.encodeBlockValue(root)});
export const putAttestation = (pubkey: Uint8Array, source: number, target: number, root: SigningRoot): WriteOp => ({
  type: "put",
  key: keys.attestationKey(pubkey, target),
  value: keys.encodeAttestationValue(source, root),
});
/** The extra index entry of an imported record whose source is after its target. */
export const putInvertedAttestation = (pubkey: Uint8Array, source: number, target: number, root: SigningRoot): WriteOp => ({
  type: "put",
  key: keys.invertedAttestationKey(pubkey, target),
  value: keys.encodeAttestationValue(source, root),
});
export const putGenesisValidatorsRoot = (root: Uint8Array): WriteOp => ({type: "put", key: keys.GVR_KEY, value: Uint8Array.from(root)});
