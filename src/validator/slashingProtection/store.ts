/**
 * The slashing-protection database. `checkAndInsert*` is the only way to get permission to
 * sign: the check and the durable (fsync'd) write of the record happen under the pubkey's lock
 * before the promise resolves, so no signature can leave the signer unrecorded, and a crash
 * after the write can only make the signer more careful.
 */
import {mkdir} from "node:fs/promises";
import {Level} from "level";
import {toHex} from "../../util/bytes.ts";
import {checkAttestation} from "./attestationRules.ts";
import {checkBlockProposal, type SigningDecision} from "./blockRules.ts";
import {SlashingProtectionError} from "./errors.ts";
import {SCHEMA_KEY, SCHEMA_VERSION} from "./keys.ts";
import {KeyedMutex} from "./mutex.ts";
import {SlashingRepository, type SlashingDb} from "./repository.ts";
import {assertPubkey, assertSigningRoot, assertUint} from "./validate.ts";

/** `NEW`: recorded now; `SAME_DATA`: an exact re-sign of a message already recorded. */
export type SigningOutcome = SigningDecision["kind"];

/** Lock key of the store-wide metadata (genesis validators root), taken by imports. */
export const META_LOCK = "meta";

export class SlashingProtectionStore {
  readonly path: string;
  readonly repo: SlashingRepository;
  private readonly mutex = new KeyedMutex();

  private constructor(path: string, db: SlashingDb) {
    this.path = path;
    this.repo = new SlashingRepository(db);
  }

  /** Opens (creating if needed) the database directory at `path`. */
  static async open(path: string): Promise<SlashingProtectionStore> {
    await mkdir(path, {recursive: true});
    const db: SlashingDb = new Level<Uint8Array, Uint8Array>(path, {keyEncoding: "view", valueEncoding: "view"});
    try {
      await db.open();
    } catch (e) {
      const reason = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message;
      throw new SlashingProtectionError("DB_UNAVAILABLE", `cannot open slashing protection database at ${path} (in use by another process?): ${reason}`);
    }
    const schema = await db.get(SCHEMA_KEY);
    if (schema === undefined) {
      await db.put(SCHEMA_KEY, Uint8Array.of(SCHEMA_VERSION), {sync: true});
    } else if (schema.length !== 1 || schema[0] !== SCHEMA_VERSION) {
      await db.close();
      throw new SlashingProtectionError("DB_SCHEMA_MISMATCH", `slashing protection database at ${path} has an unknown schema`);
    }
    return new SlashingProtectionStore(path, db);
  }

  async close(): Promise<void> {
    await this.repo.db.close();
  }

  /** Runs `fn` holding the locks of `pubkeys` (plus any extra lock names), in a deadlock-free order. */
  withLocks<T>(pubkeys: Uint8Array[], fn: () => Promise<T>, extra: string[] = []): Promise<T> {
    return this.mutex.runExclusive([...pubkeys.map(toHex), ...extra], fn);
  }

  /** Permission to sign the block with `signingRoot` at `slot`; throws SlashingProtectionError if refused. */
  async checkAndInsertBlock(pubkey: Uint8Array, slot: number, signingRoot: Uint8Array): Promise<SigningOutcome> {
    assertPubkey(pubkey);
    assertUint(slot, "slot");
    assertSigningRoot(signingRoot);
    return this.withLocks([pubkey], async () => this.apply(await checkBlockProposal(this.repo, pubkey, slot, signingRoot)));
  }

  /** Permission to sign the attestation source->target with `signingRoot`; throws SlashingProtectionError if refused. */
  async checkAndInsertAttestation(pubkey: Uint8Array, sourceEpoch: number, targetEpoch: number, signingRoot: Uint8Array): Promise<SigningOutcome> {
    assertPubkey(pubkey);
    assertUint(sourceEpoch, "source epoch");
    assertUint(targetEpoch, "target epoch");
    assertSigningRoot(signingRoot);
    return this.withLocks([pubkey], async () =>
      this.apply(await checkAttestation(this.repo, pubkey, sourceEpoch, targetEpoch, signingRoot))
    );
  }

  private async apply(decision: SigningDecision): Promise<SigningOutcome> {
    if (decision.kind === "NEW") await this.repo.write(decision.ops);
    return decision.kind;
  }
}

/** Runs `fn` on an open store, or opens the one at a path for the duration of `fn`. */
export async function withStore<T>(storeOrPath: SlashingProtectionStore | string, fn: (store: SlashingProtectionStore) => Promise<T>): Promise<T> {
  if (typeof storeOrPath !== "string") return fn(storeOrPath);
  const store = await SlashingProtectionStore.open(storeOrPath);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
