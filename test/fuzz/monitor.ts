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
