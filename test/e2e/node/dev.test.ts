/**
 * `gnomon dev --validators 64 --seconds-per-slot 1 --preset minimal` as a real process on a temp
 * data dir and a free port: it finalizes (epoch >= 2) with a block at every slot and every
 * validator's attestation included on chain; killed with SIGKILL and started again on the same
 * data dir it continues the same chain, the finalized checkpoint never goes back, and every
 * block served before the kill is still served; SIGINT then stops it with exit status 0.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {exited, getJson, restUrl, runGnomon, waitFor, type Proc} from "../helpers/processes.ts";

const SLOTS_PER_EPOCH = 8;
const VALIDATORS = 64;

type DevProc = Proc & {url: Promise<string>};

function startDev(dataDir: string): DevProc {
  const p = runGnomon(["dev", "--validators", String(VALIDATORS), "--seconds-per-slot", "1", "--preset", "minimal", "--data-dir", dataDir, "--rest-port", "0", "--p2p-port", "0", "--discovery", "false"]);
  return {...p, url: restUrl(p, "gnomon dev")};
}


/** Bit i of an SSZ bitlist given as 0x-hex (the highest set bit marks the length). */
function bitlistBits(hex: string): boolean[] {
  const bytes = Buffer.from(hex.slice(2), "hex");
  let len = bytes.length * 8 - 1;
  while (len >= 0 && !((bytes[len >> 3] >> (len & 7)) & 1)) len--;
  const out: boolean[] = [];
  for (let i = 0; i < len; i++) out.push(((bytes[i >> 3] >> (i & 7)) & 1) === 1);
  return out;
}

describe("e2e: gnomon dev (64 validators, 1-second slots), kill -9 and restart", function () {
  this.timeout(300_000);
  let dir: string;
  let dev: DevProc | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-dev-"));
  });
  after(async () => {
    if (dev !== undefined && dev.proc.exitCode === null && dev.proc.signalCode === null) {
      dev.proc.kill("SIGKILL");
      await exited(dev);
    }
    rmSync(dir, {recursive: true, force: true});
  });

  it("finalizes with a block every slot and full participation, and survives kill -9", async () => {
    dev = startDev(dir);
    let url = await dev.url;
    const finalizedEpoch = async (u: string): Promise<number> =>
      Number((await getJson(`${u}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.epoch);
    await waitFor("finalized epoch 2", 120_000, async () => ((await finalizedEpoch(url)) >= 2 ? true : undefined));

    // A block at every slot up to the head.
    const headSlot = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    const served = new Map<number, string>();
    for (let slot = 1; slot <= headSlot; slot++) {
      const header = await getJson(`${url}/eth/v1/beacon/headers/${slot}`);
      assert.equal(header.data.canonical, true, `block at slot ${slot} is canonical`);
      served.set(slot, header.data.root);
    }

    // Every validator's attestation for epoch 1 is included on chain (by the end of epoch 2).
    const committees = (await getJson(`${url}/eth/v1/beacon/states/head/committees?epoch=1`)).data as {index: string; slot: string; validators: string[]}[];
    const included = new Set<string>();
    for (let slot = SLOTS_PER_EPOCH + 1; slot <= 3 * SLOTS_PER_EPOCH; slot++) {
      const atts = (await getJson(`${url}/eth/v2/beacon/blocks/${slot}/attestations`)).data as any[];
      for (const att of atts) {
        if (att.data.target.epoch !== "1") continue;
        const committee = committees.find((c) => c.slot === att.data.slot && c.index === att.data.index);
        assert.ok(committee, `committee of slot ${att.data.slot} index ${att.data.index}`);
        bitlistBits(att.aggregation_bits).forEach((bit, i) => bit && included.add(committee.validators[i]));
      }
    }
    assert.equal(included.size, VALIDATORS, "every validator's epoch-1 attestation is in a block");

    // kill -9, then the same command on the same data dir.
    const finalizedBefore = await finalizedEpoch(url);
    const lastServed = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    for (let slot = headSlot + 1; slot <= lastServed; slot++) {
      served.set(slot, (await getJson(`${url}/eth/v1/beacon/headers/${slot}`)).data.root);
    }
    dev.proc.kill("SIGKILL");
    await exited(dev);

    dev = startDev(dir);
    url = await dev.url;
    assert.ok((await finalizedEpoch(url)) >= finalizedBefore, "finalized checkpoint after restart");
    for (const [slot, root] of served) {
      const block = await getJson(`${url}/eth/v1/beacon/blocks/${root}/root`);
      assert.equal(block.data.root, root, `block ${slot} still served`);
    }
    // The chain continues: new blocks on top of the old chain, finality moving on.
    await waitFor("two more epochs of finality", 60_000, async () =>
      (await finalizedEpoch(url)) >= finalizedBefore + 2 ? true : undefined
    );
    const head = await getJson(`${url}/eth/v1/beacon/headers/head`);
    assert.ok(Number(head.data.header.message.slot) > lastServed);
    for (const [slot, root] of served) {
      const header = await getJson(`${url}/eth/v1/beacon/headers/${slot}`);
      assert.equal(header.data.root, root, `slot ${slot} keeps its block`);
    }

    dev.proc.kill("SIGINT");
    assert.equal(await exited(dev), 0, `clean exit:\n${dev.lines.slice(-5).join("\n")}`);
  });
});
