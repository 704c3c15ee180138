/**
 * Range-sync benchmark: a chain of `--slots` slots (default 2000) and 64 validators is built in
 * process (every duty done, 1-s slots, genesis far enough in the past that the chain ends now),
 * served by one `gnomon beacon`; then a new Gnomon node and a new Lodestar 1.5.1 node, each with
 * only that peer, sync it. Prints blocks per second for each (time from the first peer connection
 * to the head at the last slot, from the nodes' REST head polled every 100 ms).
 *
 *   npm run bench:sync [-- --slots 2000]
 */
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {FakeTime} from "../../../src/clock/index.ts";
import {openChain} from "../../../src/chain/index.ts";
import {chainConfigYaml} from "../../../src/cli/commands/devnet.ts";
import {BeaconDb} from "../../../src/db/index.ts";
import {farFutureForkEpochs} from "../../../src/node/index.ts";
import {defaultConfigRaw} from "../../../src/params/index.ts";
import {getJson, restUrl, runGnomon, sleep, stopProcess} from "../../e2e/helpers/processes.ts";
import {freePortRange} from "../../e2e/devnet/helpers.ts";
import {InProcessValidators, interopGenesis, runSlots, useDevNetwork} from "../../unit/chain/helpers.ts";
import {checkInstalled, connectPeer, lodestarBeacon, stopLodestar, waitForRest} from "./lodestar.ts";

const VALIDATORS = 64;

function report(line: string): void {
  console.log(line);
}

async function headSlot(url: string): Promise<number> {
  return Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
}

/** Polls until the node's head reaches `slot`; returns the seconds from `fromMs`. */
async function timeToSlot(url: string, slot: number, fromMs: number, timeoutMs: number): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await headSlot(url)) >= slot) return (Date.now() - fromMs) / 1000;
    } catch {
      // busy
    }
    if (Date.now() > end) throw new Error(`${url} did not reach slot ${slot} in ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

async function main(): Promise<void> {
  const {values} = parseArgs({options: {slots: {type: "string", default: "2000"}, "skip-lodestar": {type: "boolean"}}});
  const slots = Number(values.slots);
  const dir = mkdtempSync(join(tmpdir(), "gnomon-sync-bench-"));
  try {
    const config = useDevNetwork(1);
    const genesisTime = Math.floor(Date.now() / 1000) - slots - 2;
    const overrides = {...farFutureForkEpochs(defaultConfigRaw("minimal")), SECONDS_PER_SLOT: "1"};
    const genesis = interopGenesis(VALIDATORS, genesisTime);
    writeFileSync(join(dir, "genesis.ssz"), genesis.serialize());
    writeFileSync(join(dir, "config.yaml"), chainConfigYaml(config.raw));

    const started = Date.now();
    const db = await BeaconDb.open(join(dir, "source", "beacon"));
    const time = new FakeTime(genesisTime * 1000);
    const {chain} = await openChain({db, genesisState: () => genesis, network: {preset: "minimal", configOverrides: overrides}, config, time});
    const t = {chain, db, time, dir, close: async () => undefined};
    const v = new InProcessValidators(chain, VALIDATORS);
    for (let s = 0; s < slots; s += 200) {
      await runSlots(t, v, Math.min(slots, s + 200));
      process.stderr.write(`built slot ${Math.min(slots, s + 200)} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    const blocks = (await db.blockRootsBySlotRange(1, slots)).length;
    const finalized = chain.getFinalizedCheckpoint().epoch;
    await chain.stop();
    await db.close();
    console.log(`chain: ${slots} slots, ${blocks} blocks, finalized epoch ${finalized}, built in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const base = await freePortRange(6);
    const source = runGnomon(["beacon", "--data-dir", join(dir, "source"), "--rest-port", String(base), "--p2p-port", String(base + 1), "--discovery", "false", "--log-level", "info"]);
    const sourceUrl = await restUrl(source, "the serving node");
    const sourceId = (await getJson(`${sourceUrl}/eth/v1/node/identity`)).data.peer_id as string;
    try {
      const g = runGnomon([
        "beacon", "--genesis-state", join(dir, "genesis.ssz"), "--config", join(dir, "config.yaml"), "--preset", "minimal",
        "--data-dir", join(dir, "gnomon"), "--rest-port", String(base + 2), "--p2p-port", String(base + 3), "--discovery", "false",
        "--static-peers", `/ip4/127.0.0.1/tcp/${base + 1}/p2p/${sourceId}`, "--log-level", "info",
      ]);
      const gUrl = await restUrl(g, "the Gnomon node");
      const gStart = Date.now();
      const gSeconds = await timeToSlot(gUrl, slots, gStart, 1_800_000);
      const line = g.lines.find((l) => l.includes("range sync done"));
      report(`gnomon:   ${blocks} blocks in ${gSeconds.toFixed(1)} s from its REST server up = ${(blocks / gSeconds).toFixed(0)} blocks/s${line !== undefined ? ` (sync log: ${/"seconds":([\d.]+)/.exec(line)?.[1]} s)` : ""}`);
      await stopProcess(g, "SIGINT");

      if (values["skip-lodestar"] !== true) {
        checkInstalled();
        const ls = lodestarBeacon(join(dir, "lodestar"), {genesisState: join(dir, "genesis.ssz"), paramsFile: join(dir, "config.yaml"), p2pPort: base + 4, restPort: base + 5});
        try {
          await waitForRest(ls);
          const lStart = Date.now();
          await connectPeer(ls, sourceId, `/ip4/127.0.0.1/tcp/${base + 1}`);
          const lSeconds = await timeToSlot(ls.restUrl, slots, lStart, 1_800_000);
          report(`lodestar: ${blocks} blocks in ${lSeconds.toFixed(1)} s from the dial = ${(blocks / lSeconds).toFixed(0)} blocks/s`);
        } finally {
          await stopLodestar(ls);
        }
      }
    } finally {
      await stopProcess(source, "SIGINT");
    }
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

await main();
