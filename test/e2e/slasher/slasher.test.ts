/**
 * `gnomon dev --slasher` (64 validators, 1-second slots, minimal preset) as a real process: the
 * test plays offending validators with their interop keys through the REST API. A double vote,
 * a vote whose source is moved back (surrounding the validator's previous vote) and a second
 * block for an already-proposed slot each get their validator slashed on chain within 2 epochs,
 * with the spec's penalty, and their slashings on the events stream; a wrongly signed conflicting vote and malformed bodies slash nobody;
 * the same evidence again, and a kill -9 and restart, give no second slashing; nobody else is
 * ever slashed.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {useNetwork} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {exited, getJson, restUrl, runGnomon, type Proc} from "../helpers/processes.ts";
import {ChainProbe, post, SLOTS_PER_EPOCH} from "./probe.ts";

const VALIDATORS = 64;

function startDev(dataDir: string): Proc & {url: Promise<string>} {
  const p = runGnomon([
    "dev", "--validators", String(VALIDATORS), "--seconds-per-slot", "1", "--preset", "minimal",
    "--data-dir", dataDir, "--rest-port", "0", "--slasher", "--log-level", "info",
  ]);
  return {...p, url: restUrl(p, "gnomon dev --slasher")};
}

describe("e2e: gnomon dev --slasher", function () {
  this.timeout(240_000);
  let dir: string;
  let dev: (Proc & {url: Promise<string>}) | undefined;
  let probe: ChainProbe;
  const events = new AbortController();

  before(async () => {
    useNetwork("minimal");
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-slasher-"));
    dev = startDev(dir);
    probe = new ChainProbe(await dev.url, VALIDATORS);
    await probe.init();
  });
  after(async () => {
    events.abort();
    useNetwork("mainnet");
    if (dev !== undefined && dev.proc.exitCode === null && dev.proc.signalCode === null) {
      dev.proc.kill("SIGKILL");
      await exited(dev);
    }
    rmSync(dir, {recursive: true, force: true});
  });

  it("slashes a double vote, a surrounding vote and a double proposal within 2 epochs, nobody else", async () => {
    // From epoch 4 on, the previous epoch's votes have a source after genesis that can be moved back.
    await probe.untilSlot(4 * SLOTS_PER_EPOCH + 1, 90_000);
    const current = Math.floor((await probe.headSlot()) / SLOTS_PER_EPOCH);
    const previous = current - 1;
    // The events stream, from before the offences on.
    const frames: string[] = [];
    const res = await fetch(`${probe.url}/eth/v1/events?topics=attester_slashing,proposer_slashing`, {signal: events.signal});
    assert.equal(res.status, 200);
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body!) frames.push(decoder.decode(chunk as Uint8Array, {stream: true}));
      } catch {
        // aborted at the end of the test
      }
    })();

    // Offenders whose duty is not at the epoch's first slot: their honest head block is not the target block.
    const [k1, k2, k3] = (await probe.duties(previous)).filter((d) => Number(d.slot) % SLOTS_PER_EPOCH !== 0).map((d) => Number(d.validator_index));

    // Double vote: the same target, another head block (the target's own block).
    const double = await probe.forgedAttestation(k1, previous, (d) => {
      d.beacon_block_root = d.target.root;
    });
    const res1 = await probe.postAttestation(double);
    assert.equal(res1.status, 400, res1.text);
    assert.match(res1.text, /PRIOR_ATTESTATION_KNOWN/);

    // Source two epochs further back than the honest one: surrounds k2's vote of the epoch before.
    const surround = await probe.forgedAttestation(k2, previous, (d) => {
      d.source.epoch = Math.max(0, d.source.epoch - 2);
    });
    assert.match((await probe.postAttestation(surround)).text, /PRIOR_ATTESTATION_KNOWN/);

    // A conflicting vote signed with another validator's key: no evidence.
    const badlySigned = await probe.forgedAttestation(k3, previous, (d) => {
      d.beacon_block_root = d.target.root;
    }, (k3 + 1) % VALIDATORS);
    assert.equal((await probe.postAttestation(badlySigned)).status, 400);
    // Malformed bodies.
    assert.equal((await post(`${probe.url}/eth/v2/beacon/pool/attestations`, "[{\"aggregation_bits\":\"0x\"")).status, 400);
    assert.equal((await post(`${probe.url}/eth/v2/beacon/blocks`, {message: {slot: "x"}})).status, 400);

    // Double proposal: the block of a past slot with other graffiti, signed again by its proposer.
    const proposedSlot = (await probe.headSlot()) - 2;
    const block = ssz.SignedBeaconBlock.fromJson((await getJson(`${probe.url}/eth/v2/beacon/blocks/${proposedSlot}`)).data).message;
    block.body.graffiti = new Uint8Array(32).fill(0x42);
    const proposer = block.proposer_index;
    // Refused as a repeated proposal before import; its header, signed by the proposer, is evidence.
    const second = await probe.postSignedBlock(block);
    assert.equal(second.status, 400, second.text);
    assert.match(second.text, /BLOCK_REPEAT_PROPOSAL/);

    const deadline = (current + 2) * SLOTS_PER_EPOCH;
    await probe.expectSlashedWithPenalty(k1, deadline);
    await probe.expectSlashedWithPenalty(k2, deadline);
    await probe.expectSlashedWithPenalty(proposer, deadline);
    const expected = [...new Set([k1, k2, proposer])].sort((a, b) => a - b);
    assert.deepEqual(await probe.slashedSet(), expected);
    const stream = frames.join("");
    assert.equal(stream.match(/event: attester_slashing/g)?.length, 2, stream);
    assert.equal(stream.match(/event: proposer_slashing/g)?.length, 1, stream);
    events.abort();

    // The same evidence again: nothing new.
    await probe.postAttestation(double);
    await probe.postSignedBlock(block);
    await probe.untilSlot((await probe.headSlot()) + 2 * SLOTS_PER_EPOCH, 60_000);
    const included = await probe.includedSlashings();
    for (const k of expected) assert.equal(included.filter((s) => s.offenders.includes(k)).length, 1, `one slashing of ${k}`);
    assert.deepEqual(await probe.slashedSet(), expected);

    // kill -9 and restart: the slasher's stored evidence is handed over again, and refused as done.
    dev!.proc.kill("SIGKILL");
    await exited(dev!);
    dev = startDev(dir);
    probe.url = await dev.url;
    await probe.untilSlot((await probe.headSlot()) + 2 * SLOTS_PER_EPOCH, 60_000);
    assert.equal((await probe.includedSlashings()).length, included.length, "no slashing included after the restart");
    assert.deepEqual(await probe.slashedSet(), expected);
    assert.ok(!dev.lines.some((l) => /"level":(50|60)/.test(l)), dev.lines.filter((l) => /"level":(50|60)/.test(l)).join("\n"));
  });
});
