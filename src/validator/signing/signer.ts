/**
 * The only place secret keys are used. Block and attestation signatures are slashable, so they
 * are signed only after slashing protection has durably recorded them (check-and-insert, fsync'd)
 * — a crash between the record and the signature can only make the signer more careful. Randao
 * reveals, selection proofs and aggregate-and-proof signatures cannot be slashed.
 */
import {sign} from "../../crypto/index.ts";
import type {
  AggregateAndProof,
  AttestationData,
  BeaconBlock,
  SignedAggregateAndProof,
  SignedBeaconBlock,
  SignedVoluntaryExit,
  VoluntaryExit,
} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";
import {signVoluntaryExit} from "../exit/voluntaryExit.ts";
import type {ValidatorKey} from "../keys/validatorKeys.ts";
import {SlashingProtectionError, type SlashingProtectionStore} from "../slashingProtection/index.ts";
import type {SigningContext} from "./signingContext.ts";

/** Signatures made before yielding to the event loop. */
export const SIGNATURES_PER_TURN = 32;

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface AttestationSigningJob {
  pubkey: Uint8Array;
  data: AttestationData;
}

export class Signer {
  readonly context: SigningContext;
  private readonly keys = new Map<string, ValidatorKey>();
  private readonly protection: SlashingProtectionStore;

  constructor(keys: ValidatorKey[], protection: SlashingProtectionStore, context: SigningContext) {
    for (const k of keys) {
      const hex = toHex(k.pubkey);
      if (this.keys.has(hex)) throw new InputError(`validator key ${hex} is loaded twice (${this.keys.get(hex)!.source} and ${k.source})`);
      this.keys.set(hex, k);
    }
    this.protection = protection;
    this.context = context;
  }

  get size(): number {
    return this.keys.size;
  }

  pubkeys(): Uint8Array[] {
    return [...this.keys.values()].map((k) => k.pubkey);
  }

  hasKey(pubkey: Uint8Array): boolean {
    return this.keys.has(toHex(pubkey));
  }

  /** Starts signing with a key (keymanager import); false if it is already loaded. */
  addKey(key: ValidatorKey): boolean {
    const hex = toHex(key.pubkey);
    if (this.keys.has(hex)) return false;
    this.keys.set(hex, key);
    return true;
  }

  /**
   * Stops signing with a key; false if it was not loaded. Once the promise resolves no signature
   * by it can leave the signer: a signing step that already holds slashing-protection permission
   * finishes its record under the lock this waits for, then finds the key gone.
   */
  async removeKey(pubkey: Uint8Array): Promise<boolean> {
    const removed = this.keys.delete(toHex(pubkey));
    await this.protection.withLocks([pubkey], async () => undefined);
    return removed;
  }

  /** The key, if it is still the one loaded for `pubkey` (it may have been removed meanwhile). */
  private stillLoaded(key: ValidatorKey): boolean {
    return this.keys.get(toHex(key.pubkey)) === key;
  }

  private key(pubkey: Uint8Array): ValidatorKey {
    const k = this.keys.get(toHex(pubkey));
    if (k === undefined) throw new InputError(`no signing key for ${toHex(pubkey)}`);
    return k;
  }

  signRandao(pubkey: Uint8Array, epoch: number): Uint8Array {
    return sign(this.key(pubkey).secretKey, this.context.randaoRoot(epoch));
  }

  /** Throws SlashingProtectionError if the block could be slashed. */
  async signBlock(pubkey: Uint8Array, block: BeaconBlock): Promise<SignedBeaconBlock> {
    const key = this.key(pubkey);
    const root = this.context.blockRoot(block);
    await this.protection.checkAndInsertBlock(pubkey, block.slot, root);
    if (!this.stillLoaded(key)) throw new InputError(`validator key ${toHex(pubkey)} was removed`);
    return {message: block, signature: sign(key.secretKey, root)};
  }

  /**
   * Signatures for many attestations with one slashing-protection write. Each result is the
   * signature, or the error that refused it (a SlashingProtectionError, or a missing key).
   */
  async signAttestations(jobs: AttestationSigningJob[]): Promise<(Uint8Array | Error)[]> {
    // Validators of one committee share one data object: hash it once.
    const rootOf = new Map<AttestationData, Uint8Array>();
    const roots = jobs.map((j) => {
      let r = rootOf.get(j.data);
      if (r === undefined) rootOf.set(j.data, (r = this.context.attestationRoot(j.data)));
      return r;
    });
    const keys = jobs.map((j) => this.keys.get(toHex(j.pubkey)));
    const known = jobs.map((_, i) => i).filter((i) => keys[i] !== undefined);
    const outcomes = await this.protection.checkAndInsertAttestations(
      known.map((i) => ({pubkey: jobs[i].pubkey, sourceEpoch: jobs[i].data.source.epoch, targetEpoch: jobs[i].data.target.epoch, signingRoot: roots[i]}))
    );
    const results: (Uint8Array | Error)[] = jobs.map((j) => new InputError(`no signing key for ${toHex(j.pubkey)}`));
    for (let j = 0; j < known.length; j++) {
      const i = known[j];
      const outcome = outcomes[j];
      if (outcome instanceof SlashingProtectionError) results[i] = outcome;
      else if (!this.stillLoaded(keys[i]!)) results[i] = new InputError(`validator key ${toHex(jobs[i].pubkey)} was removed`);
      else results[i] = sign(keys[i]!.secretKey, roots[i]);
      // Signing is synchronous: let the event loop (and a node in the same process) breathe.
      if (j % SIGNATURES_PER_TURN === SIGNATURES_PER_TURN - 1) await yieldToEventLoop();
    }
    return results;
  }

  /** A voluntary exit is not slashable; it needs no protection record. */
  signVoluntaryExit(pubkey: Uint8Array, exit: VoluntaryExit): SignedVoluntaryExit {
    return signVoluntaryExit(this.key(pubkey).secretKey, exit.validator_index, exit.epoch, this.context);
  }

  signSelectionProof(pubkey: Uint8Array, slot: number): Uint8Array {
    return sign(this.key(pubkey).secretKey, this.context.selectionProofRoot(slot));
  }

  signAggregateAndProof(pubkey: Uint8Array, message: AggregateAndProof): SignedAggregateAndProof {
    return {message, signature: sign(this.key(pubkey).secretKey, this.context.aggregateAndProofRoot(message))};
  }
}
