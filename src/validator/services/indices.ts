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
  /** The chain's status of each key it knows (pending_initialized, active_ongoing, ...). */
  private readonly statusByPubkey = new Map<string, string>();

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

  allPubkeys(): Uint8Array[] {
    return this.pubkeys();
  }

  /** The chain's status of a key (undefined: not found on chain). */
  statusOf(pubkey: Uint8Array): string | undefined {
    return this.statusByPubkey.get(toHex(pubkey));
  }

  indexOf(pubkey: Uint8Array): number | undefined {
    return this.byPubkey.get(toHex(pubkey));
  }

  /** Drops a removed key, so that its duties are no longer asked for. */
  forget(pubkey: Uint8Array): void {
    this.byPubkey.delete(toHex(pubkey));
  }

  /**
   * Looks up the keys without an index, and the keys still pending activation (to see them
   * become active); resolves to how many indices were newly found.
   */
  async refresh(): Promise<number> {
    const missing = this.pubkeys().filter((pk) => {
      const key = toHex(pk);
      return !this.byPubkey.has(key) || this.statusByPubkey.get(key)?.startsWith("pending") === true;
    });
    if (missing.length === 0) return 0;
    const found = await this.api.getValidatorsByPubkey(missing);
    const asked = new Set(missing.map(toHex));
    let added = 0;
    for (const v of found) {
      const key = toHex(v.pubkey);
      if (!asked.has(key)) continue;
      this.statusByPubkey.set(key, v.status);
      if (this.byPubkey.has(key)) continue;
      this.byPubkey.set(key, v.index);
      added++;
    }
    if (added > 0) this.logger.info({found: added, known: this.byPubkey.size, pending: this.pending}, "validator indices resolved");
    return added;
  }
}

export interface KeyStatusReport {
  /** Keys by the chain's status; keys the chain does not know are "not_found". */
  byStatus: Record<string, number>;
  /** Keys that cannot sign now: not on chain, pending activation, exited or slashed. */
  inactive: {pubkey: string; status: string}[];
}

/** What the chain says of each key, for the per-epoch warning and the vc_validators metric. */
export function keyStatusReport(indices: ValidatorIndices): KeyStatusReport {
  const byStatus: Record<string, number> = {};
  const inactive: {pubkey: string; status: string}[] = [];
  for (const pk of indices.allPubkeys()) {
    const status = indices.statusOf(pk) ?? "not_found";
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (!status.startsWith("active")) inactive.push({pubkey: toHex(pk), status});
  }
  return {byStatus, inactive};
}

/** One line naming the keys that cannot sign, as "pending deposit" / "not found" operators read. */
export function describeInactiveKeys(report: KeyStatusReport): string | null {
  if (report.inactive.length === 0) return null;
  const label = (status: string): string =>
    status === "not_found" ? "not found on chain (no deposit processed)" : status.startsWith("pending") ? `pending deposit (${status})` : status;
  const groups = new Map<string, string[]>();
  for (const k of report.inactive) groups.set(label(k.status), [...(groups.get(label(k.status)) ?? []), k.pubkey]);
  const short = (pk: string): string => `${pk.slice(0, 10)}…`;
  return [...groups]
    .map(([what, pks]) => `${pks.length} ${what}: ${pks.slice(0, 5).map(short).join(", ")}${pks.length > 5 ? ", ..." : ""}`)
    .join("; ");
}
