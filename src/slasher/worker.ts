/**
 * The slasher's thread: the node runs the Slasher here, on its own database, so a batch uses
 * the second core and never holds up the chain's event loop. Messages from the node: `init`,
 * `inputs` (attestations and headers, in arrival order), `batch` and `close`; every request
 * with an id gets one reply with that id.
 */
import {parentPort, workerData} from "node:worker_threads";
import {useNetwork, type PresetName} from "../params/index.ts";
import type {IndexedAttestation, SignedBeaconBlockHeader} from "../types/index.ts";
import {silentLogger} from "../util/logger.ts";
import {Slasher} from "./slasher.ts";
import {LevelSlasherStore} from "./store.ts";

export interface SlasherWorkerData {
  dir: string;
  historyEpochs: number;
  preset: PresetName;
  configOverrides: Record<string, string>;
}

export type WorkerInput = {kind: "attestation"; value: IndexedAttestation} | {kind: "header"; value: SignedBeaconBlockHeader};

export type WorkerRequest =
  | {type: "inputs"; inputs: WorkerInput[]}
  | {type: "batch"; id: number; epoch: number}
  | {type: "stored"; id: number}
  | {type: "close"; id: number};

export type WorkerReply =
  | {type: "ready"}
  | {type: "reply"; id: number; value?: unknown; error?: string}
  | {type: "log"; level: "error" | "warn" | "info"; msg: string; fields: Record<string, unknown>};

if (parentPort !== null) {
  const port = parentPort;
  const data = workerData as SlasherWorkerData;
  useNetwork(data.preset, data.configOverrides);
  // What the slasher logs (an unreadable record, a failed write) goes to the node's logger.
  const forward = (level: "error" | "warn" | "info") => (fields: Record<string, unknown>, msg: string) => {
    const plain = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v instanceof Error ? v.message : v]));
    port.postMessage({type: "log", level, msg, fields: plain} satisfies WorkerReply);
  };
  const logger = Object.assign(Object.create(silentLogger), {error: forward("error"), warn: forward("warn"), info: forward("info")});
  const started = LevelSlasherStore.open(data.dir).then((store) => Slasher.openOn(store, {historyEpochs: data.historyEpochs, logger}));
  started.then(
    () => port.postMessage({type: "ready"} satisfies WorkerReply),
    (e: Error) => port.postMessage({type: "reply", id: 0, error: e.message} satisfies WorkerReply)
  );
  // Requests are handled one after another, in the order they came.
  let chain: Promise<unknown> = started;
  port.on("message", (req: WorkerRequest) => {
    chain = chain.then(async () => {
      const slasher = await started;
      if (req.type === "inputs") {
        for (const input of req.inputs) {
          if (input.kind === "attestation") slasher.onAttestation(input.value);
          else slasher.onBlockHeader(input.value);
        }
        return;
      }
      try {
        const value = req.type === "batch" ? await slasher.processBatch(req.epoch) : req.type === "stored" ? await slasher.storedSlashings() : await slasher.close();
        port.postMessage({type: "reply", id: req.id, value} satisfies WorkerReply);
      } catch (e) {
        port.postMessage({type: "reply", id: req.id, error: (e as Error).message} satisfies WorkerReply);
      }
    });
  });
}
