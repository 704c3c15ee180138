/**
 * A published validator client against `gnomon beacon`: Lodestar 1.5.1's validator (the npm
 * library, unmodified, run by lodestar-vc/run.mjs) holds interop validators 0..63 of a minimal
 * devnet with 2-second slots and does every duty over the REST API alone. Proposals, attestations
 * and aggregates must all land: a block with its graffiti at every slot, every validator live in
 * every epoch, finalized = epoch - 2.
 *
 * Not part of `npm test` (it installs the client's own dependencies): `npm run test:interop`.
 */
import {strict as assert} from "node:assert";
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {NODE, ROOT, getJson, runProcess, sleep, startInteropBeacon, stopProcess, type Proc} from "../e2e/helpers/processes.ts";

const VC_DIR = join(ROOT, "test/interop/lodestar-vc");
const SLOT_MS = 2000;
const SLOTS_PER_EPOCH = 8;
const VALIDATORS = 64;
const GRAFFITI = "lodestar-vc 1.5.1";
/** The epoch whose start the test waits for: enough for finality to reach epoch - 2. */
const LAST_EPOCH = 5;

describe("interop: Lodestar 1.5.1 validator client against gnomon beacon", function () {
  this.timeout(300_000);
  let dir: string;
  let beacon: Proc | undefined;
  let vc: Proc | undefined;
  let url: string;
  let genesisTime: number;

  before(async function () {
    if (!existsSync(join(VC_DIR, "node_modules/@lodestar/validator"))) {
      throw new Error("the client's dependencies are missing: run `npm run test:interop` (it installs them first)");
    }
    dir = mkdtempSync(join(tmpdir(), "gnomon-interop-vc-"));
    // Room for the client to load and fetch its duties before slot 1.
    genesisTime = Math.floor(Date.now() / 1000) + 15;
    ({beacon, url} = await startInteropBeacon(dir, {validators: VALIDATORS, genesisTime, slotMs: SLOT_MS}));
    vc = runProcess(
      NODE,
      [join(VC_DIR, "run.mjs"), "--beacon-node", url, "--indices", `0..${VALIDATORS - 1}`, "--db", join(dir, "vc"), "--graffiti", GRAFFITI],
      {LODESTAR_PRESET: "minimal"}
    );
  });

  after(async () => {
    await stopProcess(vc);
    await stopProcess(beacon);
    if (dir !== undefined) rmSync(dir, {recursive: true, force: true});
  });

  it("proposes, attests and aggregates: a block every slot, all validators live, finality at epoch - 2", async () => {
    const wait = genesisTime * 1000 + LAST_EPOCH * SLOTS_PER_EPOCH * SLOT_MS + 1500 - Date.now();
    await sleep(Math.max(0, wait));
    const vcLog = (): string => vc!.lines.slice(-40).join("\n");
    assert.equal(vc!.proc.exitCode, null, `the validator client exited:\n${vcLog()}`);

    const graffiti = `0x${Buffer.from(GRAFFITI).toString("hex").padEnd(64, "0")}`;
    const duties = new Map<number, string>();
    for (let epoch = 0; epoch < LAST_EPOCH; epoch++) {
      for (const d of (await getJson(`${url}/eth/v1/validator/duties/proposer/${epoch}`)).data) duties.set(Number(d.slot), d.validator_index);
    }
    for (let slot = 1; slot < LAST_EPOCH * SLOTS_PER_EPOCH; slot++) {
      const res = await fetch(`${url}/eth/v2/beacon/blocks/${slot}`);
      assert.equal(res.status, 200, `no block at slot ${slot}\n${vcLog()}`);
      const block = ((await res.json()) as {data: {message: {slot: string; proposer_index: string; body: {graffiti: string}}}}).data.message;
      assert.equal(block.slot, String(slot));
      assert.equal(block.proposer_index, duties.get(slot), `slot ${slot}`);
      assert.equal(block.body.graffiti, graffiti, `slot ${slot}`);
    }

    const indices = Array.from({length: VALIDATORS}, (_, i) => String(i));
    // The node tracks liveness for the last 4 epochs (the current one included).
    for (let epoch = LAST_EPOCH - 3; epoch < LAST_EPOCH; epoch++) {
      const live = (await getJson(`${url}/eth/v1/validator/liveness/${epoch}`, {
        method: "POST",
        headers: {"content-type": "application/json"},
        body: JSON.stringify(indices),
      })).data as {index: string; is_live: boolean}[];
      assert.deepEqual(live.filter((l) => !l.is_live).map((l) => l.index), [], `validators not live in epoch ${epoch}`);
    }

    const finality = (await getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`)).data;
    assert.equal(Number(finality.finalized.epoch), LAST_EPOCH - 2);
    assert.equal(Number(finality.current_justified.epoch), LAST_EPOCH - 1);

    const published = (what: string): number => vc!.lines.filter((l) => l.includes(`Published ${what}`)).length;
    assert.ok(published("aggregateAndProofs") > 0, `no aggregate published:\n${vcLog()}`);
    // Its console lines are coloured: "Nov-26 07:39:06.013[vc]   \x1b[31merror\x1b[39m: ...".
    const errors = vc!.lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, "")).filter((l) => /\[vc\]\s+error:/.test(l));
    assert.deepEqual(errors, [], "the validator client logged errors");
    assert.equal(await stopProcess(vc), 0, `the validator client did not stop cleanly:\n${vcLog()}`);
  });
});
