/**
 * The devnet tests' view of a running `gnomon devnet`: the nodes it printed, their heads and
 * checkpoints over REST, free port ranges, and waiting for a given slot of the chain's clock.
 */
import {createServer} from "node:net";
import {createSocket} from "node:dgram";
import {getJson, runGnomon, sleep, type Proc} from "../helpers/processes.ts";

export const SLOTS_PER_EPOCH = 8;

export interface DevnetNode {
  index: number;
  url: string;
  peerId: string;
  pid: number;
  log: string;
}

/** Waits for the devnet's node table (printed once every node serves REST). */
export function devnetNodes(p: Proc, count: number, timeoutMs = 180_000): Promise<{nodes: DevnetNode[]; enr: string}> {
  const pattern = /^node (\d+): (http:\/\/127\.0\.0\.1:\d+) p2p \d+ peer (\S+) .* pid (\d+) log (\S+)$/;
  return new Promise((resolve, reject) => {
    const nodes: DevnetNode[] = [];
    const timer = setTimeout(() => reject(new Error(`devnet did not start:\n${p.lines.slice(-30).join("\n")}`)), timeoutMs);
    const onLine = (line: string): void => {
      const m = pattern.exec(line);
      if (m !== null) nodes.push({index: Number(m[1]), url: m[2], peerId: m[3], pid: Number(m[4]), log: m[5]});
      const enr = /^bootnode ENR: (\S*)$/.exec(line);
      if (enr !== null && nodes.length === count) {
        clearTimeout(timer);
        resolve({nodes, enr: enr[1]});
      }
    };
    for (const line of p.lines) onLine(line);
    p.onLine(onLine);
    p.proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`devnet exited (${code}):\n${p.lines.slice(-30).join("\n")}`));
    });
  });
}

export interface NodeView {
  headSlot: number;
  headRoot: string;
  finalizedEpoch: number;
  finalizedRoot: string;
}

export async function nodeView(url: string): Promise<NodeView> {
  const [head, fin] = await Promise.all([
    getJson(`${url}/eth/v1/beacon/headers/head`),
    getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`),
  ]);
  return {
    headSlot: Number(head.data.header.message.slot),
    headRoot: head.data.root,
    finalizedEpoch: Number(fin.data.finalized.epoch),
    finalizedRoot: fin.data.finalized.root,
  };
}

export async function genesisTime(url: string): Promise<number> {
  return Number((await getJson(`${url}/eth/v1/beacon/genesis`)).data.genesis_time);
}

/** Sleeps until `ms` into `slot` of a chain with this genesis and slot time. */
export async function untilSlot(genesis: number, slotMs: number, slot: number, ms = 0): Promise<void> {
  const at = genesis * 1000 + slot * slotMs + ms;
  await sleep(Math.max(0, at - Date.now()));
}

/**
 * Polls the nodes until they all report the same head (at least `minSlot`), up to `timeoutMs`;
 * returns the last views either way, for the assertion to show.
 */
export async function agreeOnHead(urls: string[], minSlot: number, timeoutMs: number): Promise<{same: boolean; views: NodeView[]}> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let views: NodeView[] = [];
    try {
      views = await Promise.all(urls.map(nodeView));
      if (views.every((v) => v.headRoot === views[0].headRoot && v.headSlot >= minSlot)) return {same: true, views};
    } catch {
      // a node busy or starting: poll again
    }
    if (Date.now() > end) return {same: false, views};
    await sleep(200);
  }
}

async function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    s.once("error", () => resolve(false));
    s.bind(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** A base port such that base..base+count-1 are free for TCP and UDP on 127.0.0.1 (random, above 20000). */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = (await tcpFree(p)) && (await udpFree(p));
    if (ok) return base;
  }
  throw new Error("no free port range found");
}

/**
 * `gnomon devnet --nodes N --validators V` on free port ranges (room for `spare` more nodes after
 * the devnet's), genesis 25 s away; returns the process and the two base ports.
 */
export async function startDevnet(
  dir: string,
  opts: {nodes: number; validators: number; slotMs: number; spare?: number}
): Promise<{devnet: Proc; restBase: number; p2pBase: number}> {
  const count = opts.nodes + (opts.spare ?? 0);
  const restBase = await freePortRange(count);
  let p2pBase = await freePortRange(count);
  while (Math.abs(p2pBase - restBase) < count) p2pBase = await freePortRange(count);
  const devnet = runGnomon([
    "devnet", "--nodes", String(opts.nodes), "--validators", String(opts.validators), "--seconds-per-slot", String(opts.slotMs / 1000),
    "--data-dir", dir, "--rest-port", String(restBase), "--p2p-port", String(p2pBase), "--genesis-delay", "25",
  ]);
  return {devnet, restBase, p2pBase};
}
