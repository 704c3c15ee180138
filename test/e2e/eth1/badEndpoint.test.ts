/**
 * `gnomon dev --eth1-endpoint` against an execution endpoint that misbehaves (a fake JSON-RPC
 * server: first another chain id, then non-JSON, then gone): the node proposes and imports a
 * block every slot, its status line names the eth1 error, health answers 206 with el_offline
 * (as beacon-APIs says for an offline execution node), and it stops cleanly.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {getJson, restUrl, runGnomon, sleep, stopProcess, type Proc} from "../helpers/processes.ts";
import {CONTRACT, FakeExecution} from "../../unit/eth1/fakeExecution.ts";

describe("e2e eth1: a node with a broken execution endpoint", function () {
  this.timeout(120_000);
  let dir: string;
  let fake: FakeExecution;
  let dev: Proc | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-eth1-bad-"));
    fake = new FakeExecution(30);
    fake.chainId = 1; // the config says 1337
    await fake.start();
  });
  after(async () => {
    await stopProcess(dev, "SIGKILL");
    await fake.stop();
    rmSync(dir, {recursive: true, force: true});
  });

  it("keeps proposing blocks every slot while the endpoint is wrong, garbage or down", async () => {
    const config = join(dir, "config.yaml");
    writeFileSync(config, `PRESET_BASE: minimal\nDEPOSIT_CHAIN_ID: 1337\nDEPOSIT_CONTRACT_ADDRESS: ${CONTRACT}\nETH1_FOLLOW_DISTANCE: 2\n`);
    dev = runGnomon(["dev", "--validators", "8", "--seconds-per-slot", "1", "--config", config, "--eth1-endpoint", fake.url, "--data-dir", join(dir, "dev"), "--rest-port", "0", "--log-level", "info"]);
    const url = await restUrl(dev, "gnomon dev");
    const head = async (): Promise<number> => Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    // Each failure shows on the status line once the backed-off retry has met it.
    const untilLine = async (re: RegExp): Promise<void> => {
      for (let i = 0; i < 90 && !dev!.lines.some((l) => re.test(l)); i++) await sleep(500);
    };
    await untilLine(/eth1 error \(ETH1_WRONG_CHAIN\)/);
    fake.notJson = true;
    await untilLine(/eth1 error \(ETH1_NOT_JSON\)/);
    await fake.stop();
    await untilLine(/eth1 error \(ETH1_UNREACHABLE\)/);
    // beacon-APIs: an offline execution node makes health 206 and syncing's el_offline true.
    assert.equal((await fetch(`${url}/eth/v1/node/health`)).status, 206);
    assert.equal((await getJson(`${url}/eth/v1/node/syncing`)).data.el_offline, true);
    const slot = await head();
    const genesisTime = Number((await getJson(`${url}/eth/v1/beacon/genesis`)).data.genesis_time);
    const current = Math.floor(Date.now() / 1000 - genesisTime);
    // A loaded machine may miss a slot or two, never most of them.
    assert.ok(slot >= current - 3, `head ${slot} at slot ${current}`);
    const blocks = (await getJson(`${url}/eth/v1/beacon/headers?slot=${slot}`)).data.length;
    assert.equal(blocks, 1);
    const lines = dev.lines.join("\n");
    assert.match(lines, /eth1 error \(ETH1_WRONG_CHAIN\)/);
    assert.match(lines, /eth1 error \(ETH1_NOT_JSON\)/);
    assert.match(lines, /eth1 error \(ETH1_UNREACHABLE\)/);
    assert.doesNotMatch(lines, /proposal failed|does not apply|internal error/);
    assert.equal(await stopProcess(dev), 0);
  });
});
