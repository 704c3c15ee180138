/**
 * The node's handle on the slasher thread (./worker.ts): inputs are queued and posted once per
 * tick of the event loop; batches, the stored slashings and closing are requests answered by the
 * thread. Values cross as structured clones (plain objects and byte arrays).
 */
import {Worker} from "node:worker_threads";
import type {AttesterSlashing, IndexedAttestation, ProposerSlashing, SignedBeaconBlockHeader} from "../types/index.ts";
import type {Logger} from "../util/logger.ts";
import {SlasherError, type BatchResult} from "./slasher.ts";
import type {SlasherWorkerData, WorkerInput, WorkerReply, WorkerRequest} from "./worker.ts";

/** What the service needs of a slasher, in this thread or in the slasher's own. */
export interface SlasherBackend {
  onAttestation(att: IndexedAttestation): void;
  onBlockHeader(header: SignedBeaconBlockHeader): void;
  processBatch(currentEpoch: number): Promise<BatchResult>;
  storedSlashings(): Promise<{attester: AttesterSlashing[]; proposer: ProposerSlashing[]}>;
  close(): Promise<void>;
}

export class WorkerSlasher implements SlasherBackend {
  private readonly worker: Worker;
  private readonly pending = new Map<number, {resolve: (v: unknown) => void; reject: (e: Error) => void}>();
  private nextId = 1;
  private inputs: WorkerInput[] = [];
  private flushScheduled = false;
  private failed: Error | null = null;
  private closing = false;

  private constructor(worker: Worker, logger: Logger) {
    this.worker = worker;
    worker.on("message", (m: WorkerReply) => {
      if (m.type === "log") logger[m.level](m.fields, m.msg);
      else if (m.type === "reply") this.settle(m.id, m.value, m.error);
    });
    worker.on("error", (e) => this.fail(e, logger));
    worker.on("exit", (code) => {
      if (!this.closing) this.fail(new SlasherError("SLASHER_THREAD_EXITED", `the slasher thread exited (${code})`), logger);
    });
  }

  static start(data: SlasherWorkerData, logger: Logger): Promise<WorkerSlasher> {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), {workerData: data});
    const client = new WorkerSlasher(worker, logger);
    return new Promise((resolve, reject) => {
      const onMessage = (m: WorkerReply): void => {
        if (m.type === "ready") {
          worker.off("message", onMessage);
          resolve(client);
        } else if (m.type === "reply" && m.id === 0) {
          worker.off("message", onMessage);
          void worker.terminate();
          reject(new SlasherError("SLASHER_START_FAILED", m.error ?? "the slasher thread did not start"));
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  }

  onAttestation(att: IndexedAttestation): void {
    this.push({kind: "attestation", value: att});
  }

  onBlockHeader(header: SignedBeaconBlockHeader): void {
    this.push({kind: "header", value: header});
  }

  processBatch(currentEpoch: number): Promise<BatchResult> {
    return this.request({type: "batch", id: 0, epoch: currentEpoch}) as Promise<BatchResult>;
  }

  storedSlashings(): Promise<{attester: AttesterSlashing[]; proposer: ProposerSlashing[]}> {
    return this.request({type: "stored", id: 0}) as Promise<{attester: AttesterSlashing[]; proposer: ProposerSlashing[]}>;
  }

  async close(): Promise<void> {
    if (this.failed === null) await this.request({type: "close", id: 0});
    this.closing = true;
    await this.worker.terminate();
  }

  private push(input: WorkerInput): void {
    if (this.failed !== null) return;
    this.inputs.push(input);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.inputs.length === 0 || this.failed !== null) return;
    const inputs = this.inputs;
    this.inputs = [];
    this.worker.postMessage({type: "inputs", inputs} satisfies WorkerRequest);
  }

  private request(req: WorkerRequest & {id: number}): Promise<unknown> {
    if (this.failed !== null) return Promise.reject(this.failed);
    // Inputs that arrived before this request are part of it.
    this.flush();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject});
      this.worker.postMessage({...req, id});
    });
  }

  private settle(id: number, value: unknown, error: string | undefined): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    if (error !== undefined) p.reject(new SlasherError("SLASHER_FAILED", error));
    else p.resolve(value);
  }

  private fail(e: Error, logger: Logger): void {
    if (this.failed !== null) return;
    this.failed = e;
    logger.error({err: e}, "slasher thread failed; the slasher is off until the node restarts");
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
