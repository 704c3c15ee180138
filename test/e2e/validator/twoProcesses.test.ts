/**
 * `gnomon beacon` and `gnomon validator --interop-indices 0..63` as two processes (minimal
 * preset, 2-second slots, temp dirs, any free port): the chain finalizes, and a validator client
 * killed with SIGKILL in the middle of a slot and started again signs nothing slashable — no two
 * different votes of one validator for one committee slot in any block, no two blocks at a slot
 * in fork choice, and a slashing-protection history without conflicts.
 */
import {strict as assert} from "node:assert";
import {spawnSync} from "node:child_process";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {GNOMON, NODE, getJson, runGnomon, sleep, startInteropBeacon, stopProcess, type Proc} from "../helpers/processes.ts";

const SLOT_MS = 2000;
const SLOTS_PER_EPOCH = 8;

describe("e2e: gnomon beacon + gnomon validator as two processes", function () {
  this.timeout(300_000);
  let dir: string;
  let beacon: Proc | undefined;
  let vc: Proc | undefined;
  let url: string;
  let genesisTime: number;

  const currentSlot = (): number => Math.floor((Date.now() - genesisTime * 1000) / SLOT_MS);
  const untilSlot = async (slot: number, msInto = 0): Promise<void> => {
    const wait = genesisTime * 1000 + slot * SLOT_MS + msInto - Date.now();
    if (wait > 0) await sleep(wait);
  };
  const startValidator = (): Proc =>
    runGnomon(["validator", "--interop-indices", "0..63", "--beacon-node", url, "--data-dir", join(dir, "vc"), "--log-level", "info"]);
  const finalized = async (): Promise<number> =>
    Number((await getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.epoch);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-vc-"));
    genesisTime = Math.floor(Date.now() / 1000) + 6;
    ({beacon, url} = await startInteropBeacon(dir, {validators: 64, genesisTime, slotMs: SLOT_MS}));
  });

  after(async () => {
    await stopProcess(vc);
    await stopProcess(beacon);
    rmSync(dir, {recursive: true, force: true});
  });

  it("finalizes, survives a SIGKILL of the validator client, and never signs a slashable message", async () => {
    vc = startValidator();
    // Epoch 2, at a moment of the slot that varies from run to run (around the attestation point).
    const killSlot = 2 * SLOTS_PER_EPOCH + 3;
    await untilSlot(killSlot, 300 + Math.floor(Math.random() * 1000));
    assert.ok(vc.lines.some((l) => l.includes("validator client started")), vc.lines.join("\n"));
    await stopProcess(vc, "SIGKILL");
    const firstRun = vc.lines;
    vc = startValidator();

    // Finality needs every validator voting again: epoch 5 starts with epoch 3 finalized.
    await untilSlot(5 * SLOTS_PER_EPOCH, 1500);
    let fin = await finalized();
    for (let i = 0; i < SLOTS_PER_EPOCH && fin < 3; i++) {
      await sleep(SLOT_MS);
      fin = await finalized();
    }
    assert.ok(fin >= 3, `finalized epoch ${fin} at slot ${currentSlot()}`);
    assert.ok(vc.lines.some((l) => l.includes("validator client started")), vc.lines.join("\n"));

    // No double vote in any block: attestations of one committee slot with different data
    // must not share a validator (a bit).
    const head = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    const votes = new Map<string, {root: string; bits: string}[]>();
    for (let slot = 1; slot <= head; slot++) {
      const res = await fetch(`${url}/eth/v2/beacon/blocks/${slot}`);
      if (res.status === 404) continue;
      const block = ((await res.json()) as any).data.message;
      for (const att of block.body.attestations) {
        const key = `${att.data.slot}/${att.data.index}`;
        const list = votes.get(key) ?? [];
        list.push({root: JSON.stringify(att.data), bits: att.aggregation_bits});
        votes.set(key, list);
      }
    }
    assert.ok(votes.size > 0);
    for (const [key, list] of votes) {
      for (const a of list) {
        for (const b of list) {
          if (a.root === b.root) continue;
          const x = Buffer.from(a.bits.slice(2), "hex");
          const y = Buffer.from(b.bits.slice(2), "hex");
          // The last byte holds the length bit of the bitlist: compare the vote bits only.
          const overlap = x.some((byte, i) => i < x.length - 1 && (byte & (y[i] ?? 0)) !== 0);
          assert.ok(!overlap, `double vote in committee ${key}: ${a.root} vs ${b.root}`);
        }
      }
    }

    // No double proposal: fork choice holds at most one block per slot.
    const fc = await getJson(`${url}/eth/v1/debug/fork_choice`);
    const slots = (fc.fork_choice_nodes as {slot: string}[]).map((n) => n.slot);
    assert.equal(new Set(slots).size, slots.length, "two blocks at one slot");

    // The slashing-protection history of the restarted client is conflict-free.
    await stopProcess(vc);
    const out = join(dir, "protection.json");
    const exp = spawnSync(NODE, [GNOMON, "validator", "slashing-protection", "export", "--out", out, "--data-dir", join(dir, "vc"), "--beacon-node", url], {
      encoding: "utf8",
    });
    assert.equal(exp.status, 0, exp.stderr);
    const interchange = JSON.parse(readFileSync(out, "utf8")) as {
      data: {pubkey: string; signed_blocks: {slot: string}[]; signed_attestations: {source_epoch: string; target_epoch: string}[]}[];
    };
    assert.equal(interchange.data.length, 64);
    for (const v of interchange.data) {
      const targets = v.signed_attestations.map((a) => Number(a.target_epoch));
      assert.equal(new Set(targets).size, targets.length, `${v.pubkey}: two attestations for one target`);
      // Epochs 0..4 at least, less the one whose slot may have fallen into the restart.
      assert.ok(targets.length >= 4, `${v.pubkey} attested in ${targets.length} epochs`);
      for (const a of v.signed_attestations) {
        for (const b of v.signed_attestations) {
          const surrounds = Number(a.source_epoch) < Number(b.source_epoch) && Number(b.target_epoch) < Number(a.target_epoch);
          assert.ok(!surrounds, `${v.pubkey}: surround vote`);
        }
      }
    }
    assert.ok(!firstRun.some((l) => /"level":50/.test(l)), `errors before the kill:\n${firstRun.filter((l) => /"level":50/.test(l)).join("\n")}`);
  });
});
