/**
 * What the keymanager API does to a running validator client (keymanager-APIs): list, import
 * and delete local keystores with their EIP-3076 history, graffiti per key, signed voluntary
 * exits. Imports and deletes run one at a time, so two requests never race on one key. A key
 * added here signs from its next duty on; a deleted key is out of the signer before its
 * history is exported, so the history returned is final.
 */
import {toHex, fromHex} from "../../util/bytes.ts";
import {errorMessage} from "../../util/errors.ts";
import type {SignedVoluntaryExit} from "../../types/index.ts";
import {decryptKeystore, parseKeystoreText} from "../keystore/index.ts";
import type {ValidatorKey} from "../keys/validatorKeys.ts";
import type {Signer} from "../signing/signer.ts";
import {exportInterchange, importInterchange, parseInterchangeInput, type SlashingProtectionStore} from "../slashingProtection/index.ts";
import {KeymanagerError} from "./errors.ts";
import type {GraffitiStore} from "./graffitiStore.ts";
import type {KeystoreStore} from "./keystoreStore.ts";

export type ImportStatus = {status: "imported" | "duplicate"} | {status: "error"; message: string};
export type DeleteStatus = {status: "deleted" | "not_active" | "not_found"} | {status: "error"; message: string};

export interface ListedKey {
  validating_pubkey: string;
  derivation_path?: string;
  readonly: boolean;
}

export interface KeyManagerDeps {
  signer: Signer;
  protection: SlashingProtectionStore;
  genesisValidatorsRoot: Uint8Array;
  keystores: KeystoreStore;
  graffiti: GraffitiStore;
  defaultGraffiti: string;
  /** Keys given on the command line: listed read-only, never deleted through the API. */
  readonlyKeys: ValidatorKey[];
  /** Derivation paths of keys imported earlier (by pubkey hex). */
  paths: Map<string, string>;
  onKeyAdded(pubkey: Uint8Array): void;
  onKeyRemoved(pubkey: Uint8Array): void;
  /** The chain's index of a validator, or null if the head state does not know it. */
  validatorIndex(pubkey: Uint8Array): Promise<number | null>;
  currentEpoch(): number;
}

const MAX_GRAFFITI_BYTES = 32;

export function parsePubkey(value: unknown, where = "pubkey"): Uint8Array {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{96}$/.test(value)) throw new KeymanagerError(400, `${where} must be a 0x-prefixed 48-byte hex public key`);
  return fromHex(value.toLowerCase(), 48);
}

function stringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw new KeymanagerError(400, `${name} must be an array of strings`);
  return value as string[];
}

export class KeyManager {
  private readonly d: KeyManagerDeps;
  private readonly readonly: Set<string>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(deps: KeyManagerDeps) {
    this.d = deps;
    this.readonly = new Set(deps.readonlyKeys.map((k) => toHex(k.pubkey)));
  }

  /** Runs key changes one after another. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  list(): ListedKey[] {
    return this.d.signer.pubkeys().map((pk) => {
      const hex = toHex(pk);
      const path = this.d.paths.get(hex);
      return {validating_pubkey: hex, ...(path ? {derivation_path: path} : {}), readonly: this.readonly.has(hex)};
    });
  }

  importKeystores(body: unknown): Promise<ImportStatus[]> {
    if (typeof body !== "object" || body === null) throw new KeymanagerError(400, "the body must be a JSON object with keystores and passwords");
    const {keystores: rawKeystores, passwords: rawPasswords, slashing_protection: rawProtection} = body as Record<string, unknown>;
    const keystores = stringArray(rawKeystores, "keystores");
    const passwords = stringArray(rawPasswords, "passwords");
    if (keystores.length !== passwords.length) throw new KeymanagerError(400, `${keystores.length} keystores but ${passwords.length} passwords: passwords[i] must unlock keystores[i]`);
    let protection: string | undefined;
    if (rawProtection !== undefined && rawProtection !== null) {
      if (typeof rawProtection !== "string") throw new KeymanagerError(400, "slashing_protection must be the EIP-3076 interchange as a JSON string");
      try {
        const parsed = parseInterchangeInput(rawProtection);
        if (toHex(parsed.genesisValidatorsRoot) !== toHex(this.d.genesisValidatorsRoot)) {
          throw new KeymanagerError(400, `slashing_protection is for genesis_validators_root ${toHex(parsed.genesisValidatorsRoot)}, not this chain's ${toHex(this.d.genesisValidatorsRoot)}`);
        }
      } catch (e) {
        if (e instanceof KeymanagerError) throw e;
        throw new KeymanagerError(400, `slashing_protection is not a valid EIP-3076 interchange: ${errorMessage(e)}`);
      }
      protection = rawProtection;
    }
    return this.serial(async () => {
      const statuses: ImportStatus[] = [];
      const ready: {index: number; key: ValidatorKey; path: string}[] = [];
      const seen = new Set<string>();
      // Decrypt everything first: nothing changes until every keystore has a verdict.
      for (const [i, text] of keystores.entries()) {
        try {
          const ks = await decryptKeystore(parseKeystoreText(text), passwords[i]);
          const hex = toHex(ks.pubkey);
          if (this.d.signer.hasKey(ks.pubkey) || seen.has(hex)) {
            statuses.push({status: "duplicate"});
            continue;
          }
          seen.add(hex);
          ready.push({index: i, key: {pubkey: ks.pubkey, secretKey: ks.secretKey, source: "keymanager import"}, path: ks.path});
          statuses.push({status: "imported"});
        } catch (e) {
          statuses.push({status: "error", message: errorMessage(e)});
        }
      }
      if (protection !== undefined) {
        try {
          await importInterchange(this.d.protection, protection, this.d.genesisValidatorsRoot);
        } catch (e) {
          throw new KeymanagerError(400, `slashing_protection could not be imported (no key was imported): ${errorMessage(e)}`);
        }
      }
      for (const r of ready) {
        try {
          await this.d.keystores.save(r.key.pubkey, keystores[r.index], passwords[r.index]);
        } catch (e) {
          statuses[r.index] = {status: "error", message: `cannot store the keystore: ${errorMessage(e)}`};
          continue;
        }
        if (r.path !== "") this.d.paths.set(toHex(r.key.pubkey), r.path);
        this.d.signer.addKey(r.key);
        this.d.onKeyAdded(r.key.pubkey);
      }
      return statuses;
    });
  }

  deleteKeys(body: unknown): Promise<{data: DeleteStatus[]; slashing_protection: string}> {
    if (typeof body !== "object" || body === null) throw new KeymanagerError(400, "the body must be a JSON object with pubkeys");
    const raw = (body as Record<string, unknown>).pubkeys;
    if (!Array.isArray(raw)) throw new KeymanagerError(400, "pubkeys must be an array of public keys");
    const pubkeys = raw.map((p, i) => parsePubkey(p, `pubkeys[${i}]`));
    return this.serial(async () => {
      const data: DeleteStatus[] = [];
      const exported: Uint8Array[] = [];
      for (const pubkey of pubkeys) {
        const hex = toHex(pubkey);
        if (this.readonly.has(hex) && this.d.signer.hasKey(pubkey)) {
          data.push({status: "error", message: "the key was loaded from the command line (--keystores or --interop-indices) and is read-only"});
          continue;
        }
        try {
          if (await this.d.signer.removeKey(pubkey)) {
            this.d.onKeyRemoved(pubkey);
            this.d.paths.delete(hex);
            await this.d.keystores.remove(pubkey);
            data.push({status: "deleted"});
            exported.push(pubkey);
          } else if (await this.hasHistory(pubkey)) {
            data.push({status: "not_active"});
            exported.push(pubkey);
          } else {
            data.push({status: "not_found"});
          }
        } catch (e) {
          data.push({status: "error", message: errorMessage(e)});
        }
      }
      const unique = [...new Map(exported.map((p) => [toHex(p), p])).values()];
      const interchange = await exportInterchange(this.d.protection, this.d.genesisValidatorsRoot, unique);
      return {data, slashing_protection: JSON.stringify(interchange)};
    });
  }

  private async hasHistory(pubkey: Uint8Array): Promise<boolean> {
    const w = await this.d.protection.repo.getWatermarks(pubkey);
    return w.blockSlot !== null || w.sourceEpoch !== null || w.targetEpoch !== null;
  }

  private requireKey(pubkey: Uint8Array): void {
    if (!this.d.signer.hasKey(pubkey)) throw new KeymanagerError(404, `no validator key ${toHex(pubkey)} is loaded`);
  }

  /** The graffiti proposals by this key carry: its own, else the client's default. */
  graffitiOf(pubkey: Uint8Array): string {
    return this.d.graffiti.get(pubkey) ?? this.d.defaultGraffiti;
  }

  getGraffiti(pubkey: Uint8Array): {pubkey: string; graffiti: string} {
    this.requireKey(pubkey);
    return {pubkey: toHex(pubkey), graffiti: this.graffitiOf(pubkey)};
  }

  async setGraffiti(pubkey: Uint8Array, body: unknown): Promise<void> {
    this.requireKey(pubkey);
    const graffiti = typeof body === "object" && body !== null ? (body as Record<string, unknown>).graffiti : undefined;
    if (typeof graffiti !== "string") throw new KeymanagerError(400, "the body must be {\"graffiti\": string}");
    const bytes = new TextEncoder().encode(graffiti).length;
    if (bytes > MAX_GRAFFITI_BYTES) throw new KeymanagerError(400, `graffiti is ${bytes} bytes of UTF-8; at most ${MAX_GRAFFITI_BYTES} fit in a block`);
    await this.d.graffiti.set(pubkey, graffiti);
  }

  async deleteGraffiti(pubkey: Uint8Array): Promise<void> {
    this.requireKey(pubkey);
    await this.d.graffiti.set(pubkey, undefined);
  }

  /** A SignedVoluntaryExit for `epoch` (default: the current epoch); not submitted. */
  async signVoluntaryExit(pubkey: Uint8Array, epochText: unknown): Promise<SignedVoluntaryExit> {
    this.requireKey(pubkey);
    let epoch = this.d.currentEpoch();
    if (epochText !== undefined) {
      if (typeof epochText !== "string" || !/^(0|[1-9][0-9]*)$/.test(epochText) || !Number.isSafeInteger(Number(epochText))) {
        throw new KeymanagerError(400, "epoch must be a decimal epoch number");
      }
      epoch = Number(epochText);
    }
    const index = await this.d.validatorIndex(pubkey);
    if (index === null) throw new KeymanagerError(404, `validator ${toHex(pubkey)} is not in the beacon state yet: it has no index to exit`);
    return this.d.signer.signVoluntaryExit(pubkey, {epoch, validator_index: index});
  }
}
