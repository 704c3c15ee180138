/**
 * Watches a running node while it is fuzzed: when each block's `block` event arrives relative to
 * its slot's start (a delayed slot clock or a blocked event loop shows here), finality at every
 * epoch boundary, and the process's resident memory.
 */
import {readFileSync} from "node:fs";

export interface NodeWatch {
  /** Largest delay of a block event after its slot's start, ms. */
  maxBlockDelayMs: number;
  blockSlots: Set<number>;
  /** Epoch boundaries where finalized != epoch - 2: "epoch:finalized". */
  finalityMisses: string[];
  epochsChecked: number;
  stop(): void;
}

interface Genesis {
  genesisTime: number;
  secondsPerSlot: number;
  slotsPerEpoch: number;
}

export async function genesisOf(url: string): Promise<Genesis> {
  const g = (await (await fetch(`${url}/eth/v1/beacon/genesis`)).json()) as {data: {genesis_time: string}};
  const spec = (await (await fetch(`${url}/eth/v1/config/spec`)).json()) as {data: Record<string, string>};
  return {genesisTime: Number(g.data.genesis_time), secondsPerSlot: Number(spec.data.SECONDS_PER_SLOT), slotsPerEpoch: Number(spec.data.SLOTS_PER_EPOCH)};
}

export async function headSlot(url: string): Promise<number> {
  const r = (await (await fetch(`${url}/eth/v1/beacon/headers/head`)).json()) as {data: {header: {message: {slot: string}}}};
  return Number(r.data.header.message.slot);
}

export async function finalizedEpoch(url: string): Promise<number> {
  const r = (await (await fetch(`${url}/eth/v1/beacon/states/head/finality_checkpoints`)).json()) as {data: {finalized: {epoch: string}}};
  return Number(r.data.finalized.epoch);
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m === null ? NaN : Number(m[1]) / 1024;
}

export async function watchNode(url: string): Promise<NodeWatch> {
  const g = await genesisOf(url);
  const controller = new AbortController();
  const watch: NodeWatch = {maxBlockDelayMs: 0, blockSlots: new Set(), finalityMisses: [], epochsChecked: 0, stop: () => controller.abort()};
  const res = await fetch(`${url}/eth/v1/events?topics=block`, {signal: controller.signal, headers: {accept: "text/event-stream"}});
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const arrived = Date.now();
        buffered += decoder.decode(chunk, {stream: true});
        let end;
        while ((end = buffered.indexOf("\n\n")) >= 0) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (data === undefined) continue;
          const slot = Number((JSON.parse(data) as {slot: string}).slot);
          watch.blockSlots.add(slot);
          watch.maxBlockDelayMs = Math.max(watch.maxBlockDelayMs, arrived - (g.genesisTime + slot * g.secondsPerSlot) * 1000);
          if (slot % g.slotsPerEpoch === 0 && slot / g.slotsPerEpoch >= 2) {
            const epoch = slot / g.slotsPerEpoch;
            // The head's state has just crossed the boundary: it finalized epoch - 2 or finality slipped.
            setTimeout(() => {
              finalizedEpoch(url).then(
                (f) => {
                  watch.epochsChecked++;
                  if (f !== epoch - 2) watch.finalityMisses.push(`${epoch}:${f}`);
                },
                () => watch.finalityMisses.push(`${epoch}:unreadable`)
              );
            }, 1000);
          }
        }
      }
    } catch {
      // Aborted at the end of the run.
    }
  })();
  return watch;
}

/**
 * The node's V8 heap in use after a full collection, MB, through its inspector (a node started
 * with --inspect): RSS alone cannot tell retained objects from heap V8 has not given back yet.
 */
export async function heapAfterGcMb(inspectorWsUrl: string): Promise<number> {
  const ws = new WebSocket(inspectorWsUrl);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`inspector at ${inspectorWsUrl} unreachable`));
  });
  const pending = new Map<number, (result: any) => void>();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as {id?: number; result?: unknown};
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  };
  let nextId = 1;
  const call = (method: string): Promise<any> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({id, method}));
    });
  try {
    await call("HeapProfiler.collectGarbage");
    const usage = (await call("Runtime.getHeapUsage")) as {usedSize: number};
    return usage.usedSize / (1024 * 1024);
  } finally {
    ws.close();
  }
}
