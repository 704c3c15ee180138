/**
 * What the slasher end-to-end tests do to a running node over REST: read validators and the
 * slashings included in blocks, and forge votes and blocks signed with interop keys. The caller
 * selects the minimal preset (useNetwork) before using it.
 */
import {strict as assert} from "node:assert";
import {BitArray} from "@chainsafe/ssz";
import {interopSecretKey} from "../../../src/crypto/interop.ts";
import {DOMAIN_BEACON_ATTESTER, DOMAIN_BEACON_PROPOSER, presets} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/util/domain.ts";
import {ssz, type Attestation, type AttestationData, type BeaconBlock} from "../../../src/types/index.ts";
import {fromHex} from "../../../src/util/bytes.ts";
import {getJson, waitFor} from "../helpers/processes.ts";

export const SLOTS_PER_EPOCH = presets.minimal.SLOTS_PER_EPOCH;
/** slash_validator's immediate penalty of a 32 ETH effective balance (minimal preset). */
const SLASHING_PENALTY = 32_000_000_000 / presets.minimal.MIN_SLASHING_PENALTY_QUOTIENT;
/** The whistleblower reward when the offender proposes the block with its own slashing. */
const WHISTLEBLOWER_REWARD = 32_000_000_000 / presets.minimal.WHISTLEBLOWER_REWARD_QUOTIENT;

export async function post(url: string, body: unknown): Promise<{status: number; text: string}> {
  const res = await fetch(url, {
    method: "POST",
    headers: {"content-type": "application/json", "eth-consensus-version": "phase0"},
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {status: res.status, text: await res.text()};
}

export class ChainProbe {
  url: string;
  private readonly validators: number;
  private genesisValidatorsRoot: Uint8Array = new Uint8Array(32);
  private forkVersion: Uint8Array = new Uint8Array(4);

  constructor(url: string, validators: number) {
    this.url = url;
    this.validators = validators;
  }

  async init(): Promise<void> {
    const genesis = (await getJson(`${this.url}/eth/v1/beacon/genesis`)).data;
    this.genesisValidatorsRoot = fromHex(genesis.genesis_validators_root);
    this.forkVersion = fromHex(genesis.genesis_fork_version);
  }

  async headSlot(): Promise<number> {
    return Number((await getJson(`${this.url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
  }

  async untilSlot(slot: number, timeoutMs = 120_000): Promise<void> {
    await waitFor(`slot ${slot}`, timeoutMs, async () => ((await this.headSlot()) >= slot ? true : undefined));
  }

  async validator(k: number, state = "head"): Promise<{slashed: boolean; balance: number}> {
    const v = (await getJson(`${this.url}/eth/v1/beacon/states/${state}/validators/${k}`)).data;
    return {slashed: v.validator.slashed, balance: Number(v.balance)};
  }

  async slashedSet(): Promise<number[]> {
    const all = (await getJson(`${this.url}/eth/v1/beacon/states/head/validators`)).data as {index: string; validator: {slashed: boolean}}[];
    return all.filter((v) => v.validator.slashed).map((v) => Number(v.index)).sort((a, b) => a - b);
  }

  /** Every slashing included in a block so far: its slot, the block's proposer and the validators it slashes. */
  async includedSlashings(): Promise<{slot: number; proposer: number; offenders: number[]; targets: number[]}[]> {
    const out: {slot: number; proposer: number; offenders: number[]; targets: number[]}[] = [];
    const head = await this.headSlot();
    for (let slot = 1; slot <= head; slot++) {
      const res = await fetch(`${this.url}/eth/v2/beacon/blocks/${slot}`);
      if (res.status === 404) continue;
      const block = ((await res.json()) as any).data.message;
      const proposer = Number(block.proposer_index);
      for (const s of block.body.proposer_slashings) out.push({slot, proposer, offenders: [Number(s.signed_header_1.message.proposer_index)], targets: []});
      for (const s of block.body.attester_slashings) {
        const second = new Set((s.attestation_2.attesting_indices as string[]).map(Number));
        const offenders = (s.attestation_1.attesting_indices as string[]).map(Number).filter((i) => second.has(i));
        out.push({slot, proposer, offenders, targets: [Number(s.attestation_1.data.target.epoch), Number(s.attestation_2.data.target.epoch)]});
      }
    }
    return out;
  }

  async duties(epoch: number): Promise<any[]> {
    const all = Array.from({length: this.validators}, (_, i) => String(i));
    return JSON.parse((await post(`${this.url}/eth/v1/validator/duties/attester/${epoch}`, all)).text).data;
  }

  /** The root of the canonical block at `slot`, or of the last one before it. */
  async blockRootAtOrBefore(slot: number): Promise<Uint8Array> {
    for (let s = slot; s >= 0; s--) {
      const res = await fetch(`${this.url}/eth/v1/beacon/blocks/${s}/root`);
      if (res.ok) return fromHex(((await res.json()) as any).data.root);
    }
    throw new Error(`no block at or before slot ${slot}`);
  }

  /**
   * A vote of validator k for its duty of `epoch`: the data an honest validator signed (the block
   * of its slot, the justified checkpoint of that slot's state, the epoch's boundary block), then
   * `change`, signed with k's key or `signer`'s.
   */
  async forgedAttestation(k: number, epoch: number, change: (d: AttestationData) => void, signer = k): Promise<Attestation> {
    const duty = (await this.duties(epoch)).find((d) => Number(d.validator_index) === k);
    const slot = Number(duty.slot);
    const justified = (await getJson(`${this.url}/eth/v1/beacon/states/${slot}/finality_checkpoints`)).data.current_justified;
    const data: AttestationData = {
      slot,
      index: Number(duty.committee_index),
      beacon_block_root: await this.blockRootAtOrBefore(slot),
      source: {epoch: Number(justified.epoch), root: fromHex(justified.root)},
      target: {epoch, root: await this.blockRootAtOrBefore(epoch * SLOTS_PER_EPOCH)},
    };
    change(data);
    const domain = computeDomain(DOMAIN_BEACON_ATTESTER, this.forkVersion, this.genesisValidatorsRoot);
    const signature = interopSecretKey(signer).sign(computeSigningRoot(ssz.AttestationData, data, domain)).toBytes();
    const bits = BitArray.fromSingleBit(Number(duty.committee_length), Number(duty.validator_committee_index));
    return {aggregation_bits: bits, data, signature};
  }

  async postAttestation(att: Attestation): Promise<{status: number; text: string}> {
    return post(`${this.url}/eth/v2/beacon/pool/attestations`, [ssz.Attestation.toJson(att)]);
  }

  /** A block signed with its proposer's interop key, posted to POST /eth/v2/beacon/blocks. */
  async postSignedBlock(block: BeaconBlock): Promise<{status: number; text: string}> {
    const domain = computeDomain(DOMAIN_BEACON_PROPOSER, this.forkVersion, this.genesisValidatorsRoot);
    const signature = interopSecretKey(block.proposer_index).sign(computeSigningRoot(ssz.BeaconBlock, block, domain)).toBytes();
    return post(`${this.url}/eth/v2/beacon/blocks`, ssz.SignedBeaconBlock.toJson({message: block, signature}));
  }

  /** Waits until k is slashed on chain by `deadlineSlot`, and checks the penalty of the including block. */
  async expectSlashedWithPenalty(k: number, deadlineSlot: number): Promise<void> {
    await waitFor(`validator ${k} slashed`, 120_000, async () =>
      (await this.validator(k)).slashed ? true : (await this.headSlot()) > deadlineSlot + 4 ? false : undefined
    );
    assert.equal((await this.validator(k)).slashed, true, `validator ${k} slashed`);
    const inclusion = (await this.includedSlashings()).find((s) => s.offenders.includes(k));
    assert.ok(inclusion !== undefined, `a block includes the slashing of ${k}`);
    assert.ok(inclusion.slot <= deadlineSlot, `validator ${k} slashed at slot ${inclusion.slot}, after the 2-epoch deadline ${deadlineSlot}`);
    const before = (await this.validator(k, String(inclusion.slot - 1))).balance;
    const after = (await this.validator(k, String(inclusion.slot))).balance;
    const expected = SLASHING_PENALTY - (inclusion.proposer === k ? WHISTLEBLOWER_REWARD : 0);
    // An epoch boundary between the two states adds at most a few attestation rewards or penalties.
    assert.ok(Math.abs(before - after - expected) < 2_000_000, `validator ${k}: balance ${before} -> ${after}, expected a drop of ${expected}`);
  }
}
