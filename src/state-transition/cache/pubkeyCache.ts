/**
 * Validator pubkey <-> index, shared by every state of one chain.
 *
 * A validator's index is fixed by the order of the deposit contract's deposits, the same on every
 * fork, so one append-only cache serves all states; a state only trusts entries below its own
 * registry length. Public keys are decompressed on first use and kept: the state transition
 * verifies signatures of a few committees per block, and decompressing a million keys up front
 * would cost tens of seconds.
 */
import {deserializePubkey, type PublicKey} from "../../crypto/index.ts";
import {bytesEqual} from "../../util/bytes.ts";
import {BlockProcessingError} from "../errors.ts";

export class PubkeyCache {
  /** Compressed keys by validator index (references to the registry's immutable bytes). */
  private readonly bytes: Uint8Array[] = [];
  private readonly decoded: (PublicKey | undefined)[] = [];
  /** Built on first lookup; hex string keys. */
  private byKey: Map<string, number> | null = null;

  get size(): number {
    return this.bytes.length;
  }

  /** Records validator `index`'s key. Indices arrive in order; re-adding an index overwrites it. */
  add(index: number, pubkey: Uint8Array): void {
    if (index > this.bytes.length) throw new RangeError(`pubkey cache: index ${index} skips ${this.bytes.length}`);
    const old = this.bytes[index];
    this.bytes[index] = pubkey;
    if (old !== undefined) {
      this.decoded[index] = undefined;
      this.byKey?.delete(keyOf(old));
    }
    this.byKey?.set(keyOf(pubkey), index);
  }

  /** pubkey -> index, or undefined. Callers compare the index with their state's registry length. */
  getIndex(pubkey: Uint8Array): number | undefined {
    if (this.byKey === null) {
      const map = new Map<string, number>();
      for (let i = 0; i < this.bytes.length; i++) map.set(keyOf(this.bytes[i]), i);
      this.byKey = map;
    }
    return this.byKey.get(keyOf(pubkey));
  }

  getBytes(index: number): Uint8Array | undefined {
    return this.bytes[index];
  }

  /**
   * The decompressed key of validator `index`. Throws BlockProcessingError INVALID_PUBKEY for a
   * key that is not a valid G1 point (KeyValidate fails), which the spec's verification rejects.
   */
  get(index: number): PublicKey {
    let pk = this.decoded[index];
    if (pk === undefined) {
      const bytes = this.bytes[index];
      if (bytes === undefined) throw new BlockProcessingError("UNKNOWN_VALIDATOR_INDEX", `no pubkey for validator ${index}`);
      try {
        pk = deserializePubkey(bytes);
      } catch (e) {
        throw new BlockProcessingError("INVALID_PUBKEY", `validator ${index} has an invalid public key`, {cause: e});
      }
      this.decoded[index] = pk;
    }
    return pk;
  }

  /**
   * Records the already validated decompressed key of validator `index` (e.g. decoded to verify
   * its deposit), if `pubkey` is the key recorded for that index.
   */
  setDecoded(index: number, pubkey: Uint8Array, decoded: PublicKey): void {
    const bytes = this.bytes[index];
    if (bytes !== undefined && bytesEqual(bytes, pubkey)) this.decoded[index] = decoded;
  }

  /** Decompresses every key now (e.g. at start-up, before the first blocks arrive). */
  decompressAll(): void {
    for (let i = 0; i < this.bytes.length; i++) {
      if (this.decoded[i] === undefined) {
        try {
          this.get(i);
        } catch {
          // An invalid key fails the signatures that use it, when they are checked.
        }
      }
    }
  }
}

function keyOf(pubkey: Uint8Array): string {
  return Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.byteLength).toString("hex");
}
