/**
 * The slashing-protection database. `checkAndInsert*` is the only way to get permission to
 * sign: the check and the durable (fsync'd) write of the record happen under the pubkey's lock
 * before the promise resolves, so no signature can leave the signer unrecorded, and a crash
 * after the write can only make the signer more careful.
 */
import {mkdir} from "node:fs/promises";
import {Level} from "level";
import {MemoryLevel} from "memory-level";
import {bytesEqual, toHex} from "../../util/bytes.ts";
import {checkAttestation} from "./attestationRules.ts";
import {checkBlockProposal, type SigningDecision} from "./blockRules.ts";
import {InterchangeError, SlashingProtectionError} from "./errors.ts";
import {SCHEMA_KEY, SCHEMA_VERSION} from "./keys.ts";
import {KeyedMutex} from "./mutex.ts";
import {putGenesisValidatorsRoot, SlashingRepository, type SlashingDb, type WriteOp} from "./repository.ts";
import {assertPubkey, assertSigningRoot, assertUint} from "./validate.ts";

/** `NEW`: recorded now; `SAME_DATA`: an exact re-sign of a message already recorded. */
export type SigningOutcome = SigningDecision["kind"];

export interface AttestationSigningRequest {
  pubkey: Uint8Array;
  sourceEpoch: number;
  targetEpoch: number;
  signingRoot: Uint8Array;
}

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
    return SlashingProtectionStore.openDb(path, new Level<Uint8Array, Uint8Array>(path, {keyEncoding: "view", valueEncoding: "view"}));
  }

  /**
   * A store in memory, gone with the process: for validator clients whose whole world ends with
   * the process (a simulation's), never for keys that sign on a real network.
   */
  static async inMemory(): Promise<SlashingProtectionStore> {
    // memory-level implements the same abstract-level API as level (it ignores `sync`).
    const db = new MemoryLevel<Uint8Array, Uint8Array>({keyEncoding: "view", valueEncoding: "view"}) as unknown as SlashingDb;
    return SlashingProtectionStore.openDb("(memory)", db);
  }

  private static async openDb(path: string, db: SlashingDb): Promise<SlashingProtectionStore> {
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

  /**
   * Permission for many attestations with one fsync: each request is checked as
   * checkAndInsertAttestation would, and the records of every permitted one are written in one
   * atomic, synced batch before any result is returned. A request for a pubkey that appears
   * earlier in the same call is checked after that earlier record is written, so the rules see
   * it. Results are per request: the outcome, or the SlashingProtectionError that refused it.
   */
  async checkAndInsertAttestations(requests: AttestationSigningRequest[]): Promise<(SigningOutcome | SlashingProtectionError)[]> {
    const results: (SigningOutcome | SlashingProtectionError)[] = new Array(requests.length);
    let pending = requests.map((_, i) => i);
    while (pending.length > 0) {
      const seen = new Set<string>();
      const round: number[] = [];
      const later: number[] = [];
      for (const i of pending) {
        const key = toHex(requests[i].pubkey);
        if (seen.has(key)) later.push(i);
        else {
          seen.add(key);
          round.push(i);
        }
      }
      await this.attestationRound(requests, round, results);
      pending = later;
    }
    return results;
  }

  private async attestationRound(
    requests: AttestationSigningRequest[],
    round: number[],
    results: (SigningOutcome | SlashingProtectionError)[]
  ): Promise<void> {
    for (const i of round) {
      const r = requests[i];
      try {
        assertPubkey(r.pubkey);
        assertUint(r.sourceEpoch, "source epoch");
        assertUint(r.targetEpoch, "target epoch");
        assertSigningRoot(r.signingRoot);
      } catch (e) {
        results[i] = e as SlashingProtectionError;
      }
    }
    const valid = round.filter((i) => results[i] === undefined);
    await this.withLocks(
      valid.map((i) => requests[i].pubkey),
      async () => {
        const ops: WriteOp[] = [];
        const decisions = await Promise.all(
          valid.map(async (i) => {
            const r = requests[i];
            try {
              return await checkAttestation(this.repo, r.pubkey, r.sourceEpoch, r.targetEpoch, r.signingRoot);
            } catch (e) {
              if (e instanceof SlashingProtectionError) return e;
              throw e;
            }
          })
        );
        for (const d of decisions) if (!(d instanceof SlashingProtectionError) && d.kind === "NEW") ops.push(...d.ops);
        await this.repo.write(ops);
        valid.forEach((i, j) => {
          const d = decisions[j];
          results[i] = d instanceof SlashingProtectionError ? d : d.kind;
        });
      }
    );
  }

  /**
   * Ties the database to one chain: records the genesis validators root on first use and
   * refuses a database that already belongs to another chain.
   */
  async bindGenesisValidatorsRoot(genesisValidatorsRoot: Uint8Array): Promise<void> {
    assertSigningRoot(genesisValidatorsRoot);
    await this.withLocks([], async () => {
      const stored = await this.repo.getGenesisValidatorsRoot();
      if (stored === null) await this.repo.write([putGenesisValidatorsRoot(genesisValidatorsRoot)]);
      else if (!bytesEqual(stored, genesisValidatorsRoot)) {
        throw new InterchangeError(
          "GENESIS_VALIDATORS_ROOT_MISMATCH",
          `the slashing protection database at ${this.path} belongs to genesis_validators_root ${toHex(stored)}, not ${toHex(genesisValidatorsRoot)}`
        );
      }
    }, [META_LOCK]);
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
