/**
 * A stub beacon node for validator-client tests: node:http on 127.0.0.1 serving canned answers
 * in the standard Beacon API shapes (the client's contract is the REST API, not Gnomon's node),
 * recording every request, and pushing `head` events to SSE subscribers on demand.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from "node:http";
import type {AddressInfo} from "node:net";
import {BitArray} from "@chainsafe/ssz";
import {specValues} from "../../../../src/api/specValues.ts";
import {ACTIVE_PRESET, createChainConfig, SLOTS_PER_EPOCH, type ChainConfig} from "../../../../src/params/index.ts";
import {ssz, type Attestation, type AttestationData, type BeaconBlock} from "../../../../src/types/index.ts";
import {fromHex, toHex} from "../../../../src/util/bytes.ts";
import type {AttesterDuty, HeadEvent, ProposerDuty} from "../../../../src/validator/api/types.ts";
// The node's own JSON forms, so the fake speaks exactly what the real API sends.
import {attesterDutyToJson, headEventToJson, proposerDutyToJson} from "../../../../src/api/codec/beaconApi.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export interface FakeNodeOptions {
  genesisTime: number;
  genesisValidatorsRoot: Uint8Array;
  /** Proposer duties of an epoch (every validator of the chain, the client filters). */
  proposerDuties(epoch: number): ProposerDuty[];
  /** Attester duties of an epoch for the asked indices. */
  attesterDuties(epoch: number, indices: number[]): AttesterDuty[];
  /** Pubkey hex -> index of validators in the head state. */
  validators: Map<string, number>;
  /** The chain config the node reports (default: the base config of the process's preset). */
  config?: ChainConfig;
}

export class FakeBeaconNode {
  readonly requests: RecordedRequest[] = [];
  opts: FakeNodeOptions;
  readonly config: ChainConfig;
  /** Overridable per test: what /config/spec answers. */
  spec: Record<string, unknown>;
  dependentRoot = new Uint8Array(32).fill(0xd0);
  /** Attestation data the node hands out (default: a fixed vote for slot's epoch). */
  attestationData: (slot: number, committeeIndex: number) => AttestationData = (slot, index) => defaultAttestationData(slot, index);
  /** Status and body for a path, overriding the route (e.g. to answer 503). */
  failures = new Map<string, {status: number; body: unknown; times: number}>();
  /** Status per pubkey hex in the head state (default active_ongoing). */
  statuses = new Map<string, string>();
  /** Validator indices POST /validator/liveness/{epoch} reports live, per epoch. */
  live = new Map<number, Set<number>>();
  private server: Server | null = null;
  private sse: ServerResponse[] = [];
  private submitted: Attestation[] = [];

  constructor(opts: FakeNodeOptions) {
    this.opts = opts;
    this.config = opts.config ?? createChainConfig(ACTIVE_PRESET);
    this.spec = specValues(this.config);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    for (const res of this.sse) res.end();
    this.sse = [];
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  get eventSubscribers(): number {
    return this.sse.length;
  }

  pushHead(e: HeadEvent): void {
    const data = JSON.stringify(headEventToJson(e));
    for (const res of this.sse) res.write(`event: head\ndata: ${data}\n\n`);
  }

  /** Requests whose `METHOD path` matches. */
  calls(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path)));
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, {"Content-Type": "application/json", ...headers});
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url!, "http://x");
    const path = url.pathname;
    this.requests.push({method: req.method!, path, query: url.searchParams, headers: req.headers, body});
    const failure = this.failures.get(path);
    if (failure !== undefined && failure.times > 0) {
      failure.times--;
      return this.json(res, failure.status, failure.body);
    }
    const route = `${req.method} ${path}`;
    const o = this.opts;
    let m: RegExpExecArray | null;
    if (route === "GET /eth/v1/beacon/genesis") {
      return this.json(res, 200, {
        data: {
          genesis_time: String(o.genesisTime),
          genesis_validators_root: toHex(o.genesisValidatorsRoot),
          genesis_fork_version: toHex(this.config.GENESIS_FORK_VERSION),
        },
      });
    }
    if (route === "GET /eth/v1/config/spec") return this.json(res, 200, {data: this.spec});
    if (route === "GET /eth/v1/config/fork_schedule") {
      const v = toHex(this.config.GENESIS_FORK_VERSION);
      return this.json(res, 200, {data: [{previous_version: v, current_version: v, epoch: "0"}]});
    }
    if (route === "GET /eth/v1/node/syncing") {
      return this.json(res, 200, {data: {head_slot: "0", sync_distance: "0", is_syncing: false, is_optimistic: false, el_offline: false}});
    }
    if (route === "POST /eth/v1/beacon/states/head/validators") {
      const ids = (JSON.parse(body.toString()) as {ids: string[]}).ids;
      const data = ids
        .filter((id) => o.validators.has(id))
        .map((id) => ({index: String(o.validators.get(id)), balance: "32000000000", status: this.statuses.get(id) ?? "active_ongoing", validator: {pubkey: id}}));
      return this.json(res, 200, {execution_optimistic: false, finalized: false, data});
    }
    if ((m = /^POST \/eth\/v1\/validator\/liveness\/(\d+)$/.exec(route))) {
      const live = this.live.get(Number(m[1])) ?? new Set<number>();
      const ids = JSON.parse(body.toString()) as string[];
      return this.json(res, 200, {data: ids.map((id) => ({index: id, is_live: live.has(Number(id))}))});
    }
    if ((m = /^GET \/eth\/v1\/validator\/duties\/proposer\/(\d+)$/.exec(route))) {
      const duties = o.proposerDuties(Number(m[1]));
      return this.json(res, 200, {
        dependent_root: toHex(this.dependentRoot),
        execution_optimistic: false,
        data: duties.map(proposerDutyToJson),
      });
    }
    if ((m = /^POST \/eth\/v1\/validator\/duties\/attester\/(\d+)$/.exec(route))) {
      const indices = (JSON.parse(body.toString()) as string[]).map(Number);
      const duties = o.attesterDuties(Number(m[1]), indices);
      return this.json(res, 200, {
        dependent_root: toHex(this.dependentRoot),
        execution_optimistic: false,
        data: duties.map(attesterDutyToJson),
      });
    }
    if ((m = /^GET \/eth\/v3\/validator\/blocks\/(\d+)$/.exec(route))) {
      const slot = Number(m[1]);
      const epoch = Math.floor(slot / (Number(this.spec.SLOTS_PER_EPOCH) || 1));
      const duty = o.proposerDuties(epoch).find((d) => d.slot === slot);
      const block = emptyBlock(slot, duty?.validatorIndex ?? 0, fromHex(url.searchParams.get("randao_reveal")!, 96));
      block.body.graffiti = fromHex(url.searchParams.get("graffiti") ?? toHex(new Uint8Array(32)), 32);
      const headers = {"Eth-Consensus-Version": "phase0", "Eth-Execution-Payload-Blinded": "false", "Eth-Consensus-Block-Value": "0"};
      if ((req.headers.accept ?? "").startsWith("application/octet-stream")) {
        res.writeHead(200, {"Content-Type": "application/octet-stream", ...headers});
        return void res.end(ssz.BeaconBlock.serialize(block));
      }
      return this.json(res, 200, {version: "phase0", execution_payload_blinded: false, data: ssz.BeaconBlock.toJson(block)}, headers);
    }
    if (route === "POST /eth/v2/beacon/blocks") return this.json(res, 200, {});
    if (route === "GET /eth/v1/validator/attestation_data") {
      const data = this.attestationData(Number(url.searchParams.get("slot")), Number(url.searchParams.get("committee_index")));
      return this.json(res, 200, {data: ssz.AttestationData.toJson(data)});
    }
    if (route === "POST /eth/v2/beacon/pool/attestations") {
      const list = JSON.parse(body.toString()) as unknown[];
      this.submitted.push(...list.map((a) => ssz.Attestation.fromJson(a)));
      return this.json(res, 200, {});
    }
    if (route === "GET /eth/v2/validator/aggregate_attestation") {
      const root = url.searchParams.get("attestation_data_root")!;
      const match = this.submitted.filter((a) => toHex(ssz.AttestationData.hashTreeRoot(a.data)) === root);
      if (match.length === 0) return this.json(res, 404, {code: 404, message: "no aggregate"});
      const bits = BitArray.fromBitLen(match[0].aggregation_bits.bitLen);
      for (const a of match) for (const i of a.aggregation_bits.getTrueBitIndexes()) bits.set(i, true);
      const aggregate = {aggregation_bits: bits, data: match[0].data, signature: match[0].signature};
      return this.json(res, 200, {version: "phase0", data: ssz.Attestation.toJson(aggregate)}, {"Eth-Consensus-Version": "phase0"});
    }
    if (route === "POST /eth/v2/validator/aggregate_and_proofs") return this.json(res, 200, {});
    if (route === "POST /eth/v1/validator/beacon_committee_subscriptions") return this.json(res, 200, {});
    if (route === "GET /eth/v1/events") {
      res.writeHead(200, {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"});
      res.flushHeaders();
      res.write(": hello\n\n");
      this.sse.push(res);
      res.on("close", () => (this.sse = this.sse.filter((r) => r !== res)));
      return;
    }
    this.json(res, 404, {code: 404, message: `Route ${route} not found`});
  }
}

export function defaultAttestationData(slot: number, index: number): AttestationData {
  const epoch = Math.floor(slot / SLOTS_PER_EPOCH);
  return {
    slot,
    index,
    beacon_block_root: new Uint8Array(32).fill(0xbb),
    source: {epoch: Math.max(0, epoch - 1), root: new Uint8Array(32).fill(0x50)},
    target: {epoch, root: new Uint8Array(32).fill(0x7a)},
  };
}

export function emptyBlock(slot: number, proposerIndex: number, randaoReveal: Uint8Array): BeaconBlock {
  const block = ssz.BeaconBlock.defaultValue();
  block.slot = slot;
  block.proposer_index = proposerIndex;
  block.parent_root = new Uint8Array(32).fill(0x9a);
  block.body.randao_reveal = randaoReveal;
  return block;
}

/** Resolves once `pred` holds (checked as real I/O completes); rejects after `ms` of real time. */
export async function waitFor(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets pending I/O settle, for asserting that something did NOT happen. */
export async function settle(ms = 150): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}
