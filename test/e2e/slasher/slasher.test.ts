/**
 * `gnomon dev --slasher` (64 validators, 1-second slots, minimal preset) as a real process: the
 * test plays offending validators with their interop keys through the REST API. A double vote,
 * a surrounding vote and a second block for an already-proposed slot each get their validator
 * slashed on chain within 2 epochs, with the spec's penalty; a wrongly signed conflicting vote and
 * malformed bodies slash nobody; the same evidence again, and a kill -9 and restart, give no
 * second slashing; nobody else is ever slashed.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {BitArray} from "@chainsafe/ssz";
import {interopSecretKey} from "../../../src/crypto/interop.ts";
import {DOMAIN_BEACON_ATTESTER, DOMAIN_BEACON_PROPOSER, presets, useNetwork} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/util/domain.ts";
import {ssz, type Attestation, type AttestationData} from "../../../src/types/index.ts";
import {fromHex} from "../../../src/util/bytes.ts";
import {exited, getJson, restUrl, runGnomon, waitFor, type Proc} from "../helpers/processes.ts";

const SLOTS_PER_EPOCH = 8;
const VALIDATORS = 64;
/** slash_validator's immediate penalty of a 32 ETH effective balance (minimal preset). */
const SLASHING_PENALTY = 32_000_000_000 / presets.minimal.MIN_SLASHING_PENALTY_QUOTIENT;
/** The whistleblower reward when the offender proposes the block with its own slashing. */
const WHISTLEBLOWER_REWARD = 32_000_000_000 / presets.minimal.WHISTLEBLOWER_REWARD_QUOTIENT;

function startDev(dataDir: string): Proc & {url: Promise<string>} {
  const p = runGnomon([
    "dev", "--validators", String(VALIDATORS), "--seconds-per-slot", "1", "--preset", "minimal",
    "--data-dir", dataDir, "--rest-port", "0", "--slasher", "--log-level", "info",
  ]);
  return {...p, url: restUrl(p, "gnomon dev --slasher")};
}

async function post(url: string, body: unknown): Promise<{status: number; text: string}> {
  const res = await fetch(url, {method: "POST", headers: {"content-type": "application/json", "eth-consensus-version": "phase0"}, body: typeof body === "string" ? body : JSON.stringify(body)});
  return {status: res.status, text: await res.text()};
}

describe("e2e: gnomon dev --slasher", function () {
  this.timeout(240_000);
  let dir: string;
  let dev: (Proc & {url: Promise<string>}) | undefined;
  let url: string;
  let genesisValidatorsRoot: Uint8Array;
  let forkVersion: Uint8Array;

  before(async () => {
    useNetwork("minimal");
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-slasher-"));
    dev = startDev(dir);
    url = await dev.url;
    const genesis = (await getJson(`${url}/eth/v1/beacon/genesis`)).data;
    genesisValidatorsRoot = fromHex(genesis.genesis_validators_root);
    forkVersion = fromHex(genesis.genesis_fork_version);
  });
  after(async () => {
    useNetwork("mainnet");
    if (dev !== undefined && dev.proc.exitCode === null && dev.proc.signalCode === null) {
      dev.proc.kill("SIGKILL");
      await exited(dev);
    }
    rmSync(dir, {recursive: true, force: true});
  });

  const headSlot = async (): Promise<number> => Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
  const validator = async (k: number, state = "head"): Promise<{slashed: boolean; balance: number}> => {
    const v = (await getJson(`${url}/eth/v1/beacon/states/${state}/validators/${k}`)).data;
    return {slashed: v.validator.slashed, balance: Number(v.balance)};
  };
  const slashedSet = async (): Promise<number[]> => {
    const all = (await getJson(`${url}/eth/v1/beacon/states/head/validators`)).data as {index: string; validator: {slashed: boolean}}[];
    return all.filter((v) => v.validator.slashed).map((v) => Number(v.index)).sort((a, b) => a - b);
  };
  /** Every slashing included in a block so far: slot and the validators it slashes. */
  const includedSlashings = async (): Promise<{slot: number; proposer: number; offenders: number[]}[]> => {
    const out: {slot: number; proposer: number; offenders: number[]}[] = [];
    const head = await headSlot();
    for (let slot = 1; slot <= head; slot++) {
      const res = await fetch(`${url}/eth/v2/beacon/blocks/${slot}`);
      if (res.status === 404) continue;
      const block = ((await res.json()) as any).data.message;
      for (const s of block.body.proposer_slashings) out.push({slot, proposer: Number(block.proposer_index), offenders: [Number(s.signed_header_1.message.proposer_index)]});
      for (const s of block.body.attester_slashings) {
        const second = new Set((s.attestation_2.attesting_indices as string[]).map(Number));
        out.push({slot, proposer: Number(block.proposer_index), offenders: (s.attestation_1.attesting_indices as string[]).map(Number).filter((i) => second.has(i))});
      }
    }
    return out;
  };

  const duties = async (epoch: number): Promise<any[]> =>
    JSON.parse((await post(`${url}/eth/v1/validator/duties/attester/${epoch}`, Array.from({length: VALIDATORS}, (_, i) => String(i)))).text).data;

  /** A vote of validator k for its duty of `epoch`, changed by `change`, signed with k's key (or another's). */
  async function forgedAttestation(k: number, epoch: number, change: (d: AttestationData) => void, signer = k): Promise<Attestation> {
    const duty = (await duties(epoch)).find((d) => Number(d.validator_index) === k);
    const dataJson = (await getJson(`${url}/eth/v1/validator/attestation_data?slot=${duty.slot}&committee_index=${duty.committee_index}`)).data;
    const data = ssz.AttestationData.fromJson(dataJson);
    change(data);
    const domain = computeDomain(DOMAIN_BEACON_ATTESTER, forkVersion, genesisValidatorsRoot);
    const signature = interopSecretKey(signer).sign(computeSigningRoot(ssz.AttestationData, data, domain)).toBytes();
    const bits = BitArray.fromSingleBit(Number(duty.committee_length), Number(duty.validator_committee_index));
    return {aggregation_bits: bits, data, signature};
  }

  async function expectSlashedWithPenalty(k: number, deadlineSlot: number): Promise<void> {
    await waitFor(`validator ${k} slashed`, 120_000, async () => ((await validator(k)).slashed ? true : (await headSlot()) > deadlineSlot + 4 ? false : undefined));
    assert.equal((await validator(k)).slashed, true, `validator ${k} slashed`);
    const inclusion = (await includedSlashings()).find((s) => s.offenders.includes(k));
    assert.ok(inclusion !== undefined, `a block includes the slashing of ${k}`);
    assert.ok(inclusion.slot <= deadlineSlot, `validator ${k} slashed at slot ${inclusion.slot}, after the 2-epoch deadline ${deadlineSlot}`);
    const before = (await validator(k, String(inclusion.slot - 1))).balance;
    const after = (await validator(k, String(inclusion.slot))).balance;
    const expected = SLASHING_PENALTY - (inclusion.proposer === k ? WHISTLEBLOWER_REWARD : 0);
    // An epoch boundary between the two states adds at most a few attestation rewards or penalties.
    assert.ok(Math.abs(before - after - expected) < 2_000_000, `validator ${k}: balance ${before} -> ${after}, expected a drop of ${expected}`);
  }

  it("slashes a double vote, a surrounding vote and a double proposal within 2 epochs, nobody else", async () => {
    // From epoch 4 on, the previous epoch's votes have a source after genesis that can be moved back.
    await waitFor("slot 4 epochs in", 90_000, async () => ((await headSlot()) >= 4 * SLOTS_PER_EPOCH + 1 ? true : undefined));
    const current = Math.floor((await headSlot()) / SLOTS_PER_EPOCH);
    const previous = current - 1;
    // Offenders whose duty is not at the epoch's first slot: their honest head block is not the target block.
    const [k1, k2, k3] = (await duties(previous)).filter((d) => Number(d.slot) % SLOTS_PER_EPOCH !== 0).map((d) => Number(d.validator_index));

    // Double vote: the same target, another head block (the target's own block).
    const double = await forgedAttestation(k1, previous, (d) => {
      d.beacon_block_root = d.target.root;
    });
    const res1 = await post(`${url}/eth/v2/beacon/pool/attestations`, [ssz.Attestation.toJson(double)]);
    assert.equal(res1.status, 400, res1.text);
    assert.match(res1.text, /PRIOR_ATTESTATION_KNOWN/);

    // Surround vote: source two epochs further back than the honest (previous - 1) one.
    const surround = await forgedAttestation(k2, previous, (d) => {
      d.source.epoch = Math.max(0, d.source.epoch - 2);
    });
    const res2 = await post(`${url}/eth/v2/beacon/pool/attestations`, [ssz.Attestation.toJson(surround)]);
    assert.match(res2.text, /PRIOR_ATTESTATION_KNOWN/);

    // A wrongly signed conflicting vote (signed with another validator's key): no evidence.
    const badlySigned = await forgedAttestation(
      k3,
      previous,
      (d) => {
        d.beacon_block_root = d.target.root;
      },
      (k3 + 1) % VALIDATORS
    );
    const res3 = await post(`${url}/eth/v2/beacon/pool/attestations`, [ssz.Attestation.toJson(badlySigned)]);
    assert.equal(res3.status, 400);
    // Malformed bodies.
    assert.equal((await post(`${url}/eth/v2/beacon/pool/attestations`, "[{\"aggregation_bits\":\"0x\"")).status, 400);
    assert.equal((await post(`${url}/eth/v2/beacon/blocks`, {message: {slot: "x"}})).status, 400);

    // Double proposal: the block of a past slot with other graffiti, signed again by its proposer.
    const proposedSlot = (await headSlot()) - 2;
    const blockJson = (await getJson(`${url}/eth/v2/beacon/blocks/${proposedSlot}`)).data;
    const block = ssz.SignedBeaconBlock.fromJson(blockJson).message;
    block.body.graffiti = new Uint8Array(32).fill(0x42);
    const proposer = block.proposer_index;
    const domain = computeDomain(DOMAIN_BEACON_PROPOSER, forkVersion, genesisValidatorsRoot);
    const signature = interopSecretKey(proposer).sign(computeSigningRoot(ssz.BeaconBlock, block, domain)).toBytes();
    const res4 = await post(`${url}/eth/v2/beacon/blocks`, ssz.SignedBeaconBlock.toJson({message: block, signature}));
    assert.equal(res4.status, 400, "the second block (its state root is now wrong) is not imported");

    const deadline = (current + 2) * SLOTS_PER_EPOCH;
    await expectSlashedWithPenalty(k1, deadline);
    await expectSlashedWithPenalty(k2, deadline);
    await expectSlashedWithPenalty(proposer, deadline);
    const expected = [...new Set([k1, k2, proposer])].sort((a, b) => a - b);
    assert.deepEqual(await slashedSet(), expected);

    // The same evidence again: nothing new.
    await post(`${url}/eth/v2/beacon/pool/attestations`, [ssz.Attestation.toJson(double)]);
    await post(`${url}/eth/v2/beacon/blocks`, ssz.SignedBeaconBlock.toJson({message: block, signature}));
    const settle = (await headSlot()) + 2 * SLOTS_PER_EPOCH;
    await waitFor("two more epochs", 60_000, async () => ((await headSlot()) >= settle ? true : undefined));
    const included = await includedSlashings();
    for (const k of expected) assert.equal(included.filter((s) => s.offenders.includes(k)).length, 1, `one slashing of ${k}`);
    assert.deepEqual(await slashedSet(), expected);

    // kill -9 and restart: the slasher's stored evidence is handed over again, and refused as done.
    dev!.proc.kill("SIGKILL");
    await exited(dev!);
    dev = startDev(dir);
    url = await dev.url;
    const restartSlot = await headSlot();
    await waitFor("two epochs after the restart", 60_000, async () => ((await headSlot()) >= restartSlot + 2 * SLOTS_PER_EPOCH ? true : undefined));
    const after = await includedSlashings();
    assert.equal(after.length, included.length, "no slashing included after the restart");
    assert.deepEqual(await slashedSet(), expected);
    assert.ok(!dev.lines.some((l) => /"level":(50|60)/.test(l)), dev.lines.filter((l) => /"level":(50|60)/.test(l)).join("\n"));
  });
});
