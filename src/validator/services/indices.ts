/**
 * Validator indices of the client's keys, looked up by pubkey in the head state. A key whose
 * deposit the chain has not processed yet has no index; it is looked up again each epoch.
 */
import {toHex} from "../../util/bytes.ts";
import type {Logger} from "../../util/logger.ts";
import type {BeaconApiClient} from "../api/client.ts";

export class ValidatorIndices {
  private readonly api: BeaconApiClient;
  /** The signer's keys now: keys come and go through the keymanager API. */
  private readonly pubkeys: () => Uint8Array[];
  private readonly logger: Logger;
  private readonly byPubkey = new Map<string, number>();

  constructor(api: BeaconApiClient, pubkeys: () => Uint8Array[], logger: Logger) {
    this.api = api;
    this.pubkeys = pubkeys;
    this.logger = logger;
  }

  get known(): number {
    return this.byPubkey.size;
  }

  get pending(): number {
    return this.pubkeys().length - this.byPubkey.size;
  }

  /** Indices of every key known to the chain, ascending. */
  all(): number[] {
    return [...this.byPubkey.values()].sort((a, b) => a - b);
  }

  indexOf(pubkey: Uint8Array): number | undefined {
    return this.byPubkey.get(toHex(pubkey));
  }

  /** Drops a removed key, so that its duties are no longer asked for. */
  forget(pubkey: Uint8Array): void {
    this.byPubkey.delete(toHex(pubkey));
  }

  /** Looks up the keys without an index; resolves to how many were newly found. */
  async refresh(): Promise<number> {
    const missing = this.pubkeys().filter((pk) => !this.byPubkey.has(toHex(pk)));
    if (missing.length === 0) return 0;
    const found = await this.api.getValidatorsByPubkey(missing);
    const asked = new Set(missing.map(toHex));
    let added = 0;
    for (const v of found) {
      const key = toHex(v.pubkey);
      if (this.byPubkey.has(key) || !asked.has(key)) continue;
      this.byPubkey.set(key, v.index);
      added++;
    }
    if (added > 0) this.logger.info({found: added, known: this.byPubkey.size, pending: this.pending}, "validator indices resolved");
    return added;
  }
}
