/**
 * `gnomon validator exit` against a running chain (`gnomon beacon` with 8 interop validators and
 * a config with SHARD_COMMITTEE_PERIOD 1 and 1-second slots, `gnomon validator` for them): a
 * clear refusal before the validator has served its period and without confirmation, then an
 * exit whose status goes active_exiting -> exited_unslashed at the exit epoch the spec gives.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {interopSecretKey} from "../../../src/crypto/index.ts";
import {createKeystore} from "../../../src/validator/keystore/index.ts";
import {exited, getJson, restUrl, runGnomon, sleep, stopProcess, type Proc} from "../helpers/processes.ts";

const SLOT_MS = 1000;
const SLOTS_PER_EPOCH = 8;
// compute_activation_exit_epoch: epoch + 1 + MAX_SEED_LOOKAHEAD (4 in the minimal preset).
const EXIT_DELAY = 5;

describe("e2e: gnomon validator exit", function () {
  this.timeout(150_000);
  let dir: string;
  let beacon: Proc | undefined;
  let vc: Proc | undefined;
  let url: string;
  let genesisTime: number;
  const keystore = (d: string): string => join(d, "keystore-7.json");

  const epochNow = (): number => Math.floor((Date.now() / 1000 - genesisTime) / ((SLOT_MS / 1000) * SLOTS_PER_EPOCH));
  const status = async (): Promise<{status: string; exitEpoch: string}> => {
    const d = (await getJson(`${url}/eth/v1/beacon/states/head/validators/7`)).data;
    return {status: d.status, exitEpoch: d.validator.exit_epoch};
  };
  const exitCli = async (extra: string[]): Promise<{code: number | null; out: string}> => {
    const p = runGnomon(["validator", "exit", "--keystore", keystore(dir), "--password-file", join(dir, "pw"), "--beacon-node", url, ...extra]);
    const code = await exited(p);
    return {code, out: p.lines.join("\n")};
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-exit-"));
    writeFileSync(join(dir, "config.yaml"), `PRESET_BASE: minimal\nSLOT_DURATION_MS: ${SLOT_MS}\nSHARD_COMMITTEE_PERIOD: 1\n`);
    writeFileSync(join(dir, "pw"), "exit test password\n");
    writeFileSync(keystore(dir), JSON.stringify(await createKeystore(interopSecretKey(7), "exit test password", {kdf: "pbkdf2", c: 1024})));
    genesisTime = Math.floor(Date.now() / 1000) + 4;
    beacon = runGnomon([
      "beacon", "--data-dir", join(dir, "beacon"), "--preset", "minimal", "--config", join(dir, "config.yaml"),
      "--interop-validators", "8", "--genesis-time", String(genesisTime), "--rest-port", "0", "--log-level", "info",
    ]);
    url = await restUrl(beacon, "gnomon beacon");
    vc = runGnomon(["validator", "--interop-indices", "0..7", "--beacon-node", url, "--data-dir", join(dir, "vc"), "--log-level", "warn"]);
  });

  after(async () => {
    await stopProcess(vc);
    await stopProcess(beacon);
    rmSync(dir, {recursive: true, force: true});
  });

  it("refuses an exit before SHARD_COMMITTEE_PERIOD and without confirmation, then exits on the spec's schedule", async () => {
    while (Date.now() / 1000 < genesisTime) await sleep(200);
    const early = await exitCli(["--yes"]);
    assert.equal(early.code, 1, early.out);
    assert.match(early.out, /EXIT_TOO_EARLY: validator 7 has not been active long enough: SHARD_COMMITTEE_PERIOD is 1 epochs, so it can exit from epoch 1 \(now 0\)/);

    while (epochNow() < 1) await sleep(200);
    const unconfirmed = await exitCli([]);
    assert.notEqual(unconfirmed.code, 0);
    assert.match(unconfirmed.out, /not confirmed: nothing was signed/);
    assert.equal((await status()).status, "active_ongoing");

    const done = await exitCli(["--yes"]);
    assert.equal(done.code, 0, done.out);
    const m = /voluntary exit of validator 7 at epoch (\d+) submitted/.exec(done.out);
    assert.ok(m, done.out);
    const exitEpoch = Number(m[1]) + EXIT_DELAY;

    let seen = await status();
    for (let i = 0; i < 40 && seen.status === "active_ongoing"; i++) {
      await sleep(500);
      seen = await status();
    }
    assert.deepEqual(seen, {status: "active_exiting", exitEpoch: String(exitEpoch)});
    const again = await exitCli(["--yes"]);
    assert.match(again.out, /already exiting/);

    while (epochNow() < exitEpoch) await sleep(500);
    for (let i = 0; i < 20 && seen.status !== "exited_unslashed"; i++) {
      await sleep(500);
      seen = await status();
    }
    assert.equal(seen.status, "exited_unslashed");
    // The others keep the chain going; the exited validator's key is not among the active ones.
    const active = (await getJson(`${url}/eth/v1/beacon/states/head/validators?status=active`)).data.map((v: any) => v.index);
    assert.equal(active.includes("7"), false);
  });
});
