/**
 * Genesis from a real deposit contract: anvil (1-s blocks) with the official contract deployed
 * from its bytecode, keys from `gnomon keys new`, their 64 deposits sent with `gnomon deposit`
 * (half from an unlocked account, half signed locally), `gnomon genesis --eth1-endpoint` writes
 * the genesis state, and a `gnomon beacon` given only --eth1-endpoint computes the same state;
 * its follower stores the deposits it read and resumes from them after a restart.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {getJson, restUrl, runGnomon, sleep, stopProcess, type Proc} from "../helpers/processes.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {deployDepositContract, DEV_ACCOUNT, DEV_KEY, eth1ChainConfig, rpc, startAnvil, stopAnvil, type Anvil} from "./anvil.ts";
import {keysNew, runToEnd} from "./depositFiles.ts";

describe("e2e eth1: deposits with gnomon deposit, genesis from the contract", function () {
  this.timeout(180_000);
  let dir: string;
  let anvil: Anvil | undefined;
  let beacon: Proc | undefined;
  let configPath: string;
  let address: string;
  let depositA: string;
  let depositB: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-eth1-genesis-"));
    // The genesis file is read with the minimal preset's types.
    useNetwork("minimal");
    anvil = await startAnvil({blockTime: 1});
    const deployed = await deployDepositContract(anvil.url);
    address = deployed.address;
    const yaml = eth1ChainConfig({address, deployBlock: deployed.block, minValidators: 64, slotMs: 2000});
    configPath = join(dir, "config.yaml");
    writeFileSync(configPath, yaml);
    // Two stakers with 32 keys each.
    depositA = (await keysNew(join(dir, "keys-a"), configPath, 32)).depositData;
    depositB = (await keysNew(join(dir, "keys-b"), configPath, 32)).depositData;
    writeFileSync(join(dir, "funder.key"), DEV_KEY.slice(2) + "\n");
  });

  after(async () => {
    await stopProcess(beacon, "SIGKILL");
    await stopAnvil(anvil);
    useNetwork("mainnet");
    rmSync(dir, {recursive: true, force: true});
  });

  it("sends 64 deposits, computes the genesis with gnomon genesis and a node gets the same state", async () => {
    const common = ["--eth1-endpoint", anvil!.url, "--config", configPath, "--preset", "minimal"];
    // Refused before any transaction: an endpoint of another chain (the minimal config's chain id is 5).
    const wrongChain = await runToEnd(["deposit", "--deposit-data", depositA, "--from", DEV_ACCOUNT, "--eth1-endpoint", anvil!.url, "--preset", "minimal"]);
    assert.equal(wrongChain.code, 2, wrongChain.out);
    assert.match(wrongChain.out, /chain id 1337, the config's DEPOSIT_CHAIN_ID is 5/);
    // An account without funds: the first deposit is not sent, and the command says so.
    const poor = await runToEnd(["deposit", "--deposit-data", depositA, "--from", "0x000000000000000000000000000000000000dead", ...common]);
    assert.equal(poor.code, 1, poor.out);
    assert.match(poor.out, /deposit 1\/32 NOT SENT/);
    assert.match(poor.out, /0 of 32 deposits included/);
    const a = await runToEnd(["deposit", "--deposit-data", depositA, "--from", DEV_ACCOUNT, ...common]);
    assert.equal(a.code, 0, a.out);
    assert.match(a.out, /32 of 32 deposits included/);
    const b = await runToEnd(["deposit", "--deposit-data", depositB, "--private-key-file", join(dir, "funder.key"), ...common]);
    assert.equal(b.code, 0, b.out);
    assert.match(b.out, /32 of 32 deposits included/);
    assert.equal(b.out.includes(DEV_KEY.slice(2)), false, "the private key is never printed");

    const out = join(dir, "genesis.ssz");
    const g = await runToEnd(["genesis", "--out", out, ...common]);
    assert.equal(g.code, 0, g.out);
    const stateRoot = /hash_tree_root: (0x[0-9a-f]{64})/.exec(g.out)?.[1];
    assert.ok(stateRoot !== undefined, g.out);

    const state = ssz.BeaconState.deserialize(readFileSync(out));
    assert.equal(state.validators.length, 64);
    assert.ok(state.validators.every((v) => v.activation_epoch === 0));
    assert.equal(state.eth1_data.deposit_count, 64);
    assert.equal(state.eth1_deposit_index, 64);
    const contractRoot = await rpc(anvil!.url, "eth_call", [{to: address, data: "0xc5f2892f"}, "latest"]);
    assert.equal(toHex(state.eth1_data.deposit_root), contractRoot);
    const block = await rpc(anvil!.url, "eth_getBlockByHash", [toHex(state.eth1_data.block_hash), false]);
    assert.equal(state.genesis_time, Number(block.timestamp) + 20);
    assert.equal(toHex(ssz.BeaconState.hashTreeRoot(state)), stateRoot);

    // A node with the endpoint and no genesis computes the same state.
    beacon = runGnomon(["beacon", "--data-dir", join(dir, "beacon"), "--rest-port", "0", "--log-level", "info", ...common]);
    const url = await restUrl(beacon, "gnomon beacon --eth1-endpoint");
    const root = (await getJson(`${url}/eth/v1/beacon/states/genesis/root`)).data.root;
    assert.equal(root, stateRoot);
    // Its follower reads the 64 deposits and stores them; a restart resumes from the database.
    for (let i = 0; i < 100 && !beacon.lines.some((l) => l.includes("eth1 deposits followed")); i++) await sleep(200);
    assert.ok(beacon.lines.some((l) => l.includes("eth1 deposits followed") && l.includes('"deposits":64')), beacon.lines.join("\n"));
    assert.equal(await stopProcess(beacon), 0);
    beacon = runGnomon(["beacon", "--data-dir", join(dir, "beacon"), "--rest-port", "0", "--log-level", "info", ...common]);
    await restUrl(beacon, "gnomon beacon (restart)");
    for (let i = 0; i < 100 && !beacon.lines.some((l) => l.includes("eth1 follower resumes")); i++) await sleep(200);
    const resumed = beacon.lines.find((l) => l.includes("eth1 follower resumes from the database"));
    assert.ok(resumed !== undefined && /"deposits":64/.test(resumed), beacon.lines.join("\n"));
    assert.equal(await stopProcess(beacon), 0);
  });
});
