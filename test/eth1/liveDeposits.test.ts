/**
 * The staker's path on a live chain, against a real execution node (`npm run test:eth1`, about
 * five minutes): anvil with 1-s blocks and the official deposit contract; 64 keys from `gnomon
 * keys new`, their deposits sent with `gnomon deposit`, give the genesis of `gnomon genesis
 * --eth1-endpoint`; `gnomon beacon --eth1-endpoint` and a validator client on those keystores run
 * the chain. Then 8 more deposits of keys from a new mnemonic:
 * after the follow distance and an eth1 voting period they are in blocks, the 8 validators
 * become active and attest (validators and liveness endpoints), the state's deposit index equals
 * the contract's deposit count, and no proposal failed. The execution node is stopped
 * (SIGSTOP) for 20 s meanwhile: blocks go on, the status line shows the eth1 error and health
 * answers 206 (execution node offline), 200 again afterwards.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {getJson, restUrl, runGnomon, sleep, stopProcess, type Proc} from "../e2e/helpers/processes.ts";
import {deployDepositContract, DEV_ACCOUNT, DEV_KEY, eth1ChainConfig, rpc, startAnvil, stopAnvil, type Anvil} from "../e2e/eth1/anvil.ts";
import {keysNew, runToEnd} from "../e2e/eth1/depositFiles.ts";

const SLOT_MS = 2000;
const SLOTS_PER_EPOCH = 8;

describe("eth1: deposits on a live chain from a real execution node", function () {
  this.timeout(900_000);
  let dir: string;
  let anvil: Anvil | undefined;
  let beacon: Proc | undefined;
  const vcs: Proc[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-eth1-live-"));
  });

  after(async () => {
    if (anvil !== undefined && anvil.proc.proc.exitCode === null) anvil.proc.proc.kill("SIGCONT");
    for (const vc of vcs) await stopProcess(vc, "SIGKILL");
    await stopProcess(beacon, "SIGKILL");
    await stopAnvil(anvil);
    rmSync(dir, {recursive: true, force: true});
  });

  it("genesis from 64 deposits finalizes; 8 later deposits become active validators that attest", async () => {
    anvil = await startAnvil({blockTime: 1});
    const {address, block} = await deployDepositContract(anvil.url);
    const yaml = eth1ChainConfig({address, deployBlock: block, minValidators: 64, slotMs: SLOT_MS, genesisDelay: 30});
    const configPath = join(dir, "config.yaml");
    writeFileSync(configPath, yaml);
    const genesisKeys = await keysNew(join(dir, "keys-genesis"), configPath, 64);
    const newKeys = await keysNew(join(dir, "keys-new"), configPath, 8);
    writeFileSync(join(dir, "funder.key"), DEV_KEY.slice(2));
    const common = ["--eth1-endpoint", anvil.url, "--config", configPath, "--preset", "minimal"];

    const d1 = await runToEnd(["deposit", "--deposit-data", genesisKeys.depositData, "--from", DEV_ACCOUNT, ...common]);
    assert.equal(d1.code, 0, d1.out);
    const genesisPath = join(dir, "genesis.ssz");
    const g = await runToEnd(["genesis", "--out", genesisPath, ...common]);
    assert.equal(g.code, 0, g.out);

    beacon = runGnomon(["beacon", "--data-dir", join(dir, "beacon"), "--genesis-state", genesisPath, "--rest-port", "0", "--log-level", "info", ...common.slice(0, 4), "--preset", "minimal"]);
    const url = await restUrl(beacon, "gnomon beacon");
    const genesisTime = Number((await getJson(`${url}/eth/v1/beacon/genesis`)).data.genesis_time);
    const epochNow = (): number => Math.floor((Date.now() / 1000 - genesisTime) / ((SLOT_MS / 1000) * SLOTS_PER_EPOCH));
    const vcArgs = (keys: {dir: string; passwordFile: string}, name: string): string[] =>
      ["validator", "--keystores", keys.dir, "--password-file", keys.passwordFile, "--beacon-node", url, "--data-dir", join(dir, name), "--log-level", "info"];
    vcs.push(runGnomon(vcArgs(genesisKeys, "vc-genesis")));

    // 8 more deposits, from a locally signed account, while the chain runs.
    const d2 = await runToEnd(["deposit", "--deposit-data", newKeys.depositData, "--private-key-file", join(dir, "funder.key"), ...common]);
    assert.equal(d2.code, 0, d2.out);
    vcs.push(runGnomon(vcArgs(newKeys, "vc-new")));

    // The execution node stops for 20 s: block production must go on.
    await sleep(Math.max(0, genesisTime * 1000 - Date.now()) + 10_000);
    const headBefore = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    anvil.proc.proc.kill("SIGSTOP");
    await sleep(20_000);
    const headDuring = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    const healthDuring = (await fetch(`${url}/eth/v1/node/health`)).status;
    anvil.proc.proc.kill("SIGCONT");
    assert.equal(healthDuring, 206, "health says the execution node is offline");
    assert.ok(headDuring >= headBefore + 6, `blocks went on while the execution node was stopped (head ${headBefore} -> ${headDuring})`);

    // The new validators: deposited, voted in, activated after finality, then attesting.
    const newIds = Array.from({length: 8}, (_, i) => String(64 + i));
    let activeEpoch = -1;
    for (;;) {
      assert.ok(epochNow() < 30, `validators 64..71 not active by epoch 30:\n${beacon.lines.slice(-30).join("\n")}`);
      const res = await getJson(`${url}/eth/v1/beacon/states/head/validators?${newIds.map((id) => `id=${id}`).join("&")}`);
      const statuses: string[] = res.data.map((v: {status: string}) => v.status);
      if (statuses.length === 8 && statuses.every((s) => s === "active_ongoing")) {
        activeEpoch = Math.max(...res.data.map((v: {validator: {activation_epoch: string}}) => Number(v.validator.activation_epoch)));
        break;
      }
      await sleep(4000);
    }
    // Liveness is judged for a whole epoch after activation: wait until it is over.
    const checkEpoch = Math.max(activeEpoch, epochNow()) ;
    while (epochNow() <= checkEpoch + 1) await sleep(2000);
    const live = await getJson(`${url}/eth/v1/validator/liveness/${checkEpoch}`, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(newIds)});
    assert.deepEqual(live.data.map((l: {is_live: boolean}) => l.is_live), newIds.map(() => true), JSON.stringify(live.data));

    // The state's deposits equal the contract's; the chain finalizes; no proposal failed.
    const state = (await getJson(`${url}/eth/v2/debug/beacon/states/head`)).data;
    const countBytes: string = await rpc(anvil.url, "eth_call", [{to: address, data: "0x621fd130"}, "latest"]);
    const contractCount = Number(Buffer.from(countBytes.slice(2 + 128, 2 + 128 + 16), "hex").readBigUInt64LE());
    assert.equal(contractCount, 72);
    assert.equal(Number(state.eth1_deposit_index), 72);
    assert.equal(Number(state.eth1_data.deposit_count), 72);
    assert.equal(state.validators.length, 72);
    const finalized = Number((await getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.epoch);
    assert.ok(finalized >= 2 && finalized >= activeEpoch - 3, `finalized epoch ${finalized}`);
    console.log(`      validators 64..71 active from epoch ${activeEpoch}, live in epoch ${checkEpoch}; finalized epoch ${finalized}`);
    const logs = [...beacon.lines, ...vcs.flatMap((v) => v.lines)];
    assert.deepEqual(logs.filter((l) => /proposal failed|does not apply|BLOCK_INVALID/.test(l)), []);
    assert.ok(beacon.lines.some((l) => /eth1 error/.test(l)), "the status line showed the stopped execution node");
    assert.ok(beacon.lines.some((l) => /eth1 synced/.test(l)), "the status line showed the follower synced");
    assert.equal((await fetch(`${url}/eth/v1/node/health`)).status, 200);
  });
});
