/**
 * Typed methods for the standard Beacon API endpoints a validator client needs
 * (beacon-APIs validator-flow.md). Reads may be retried; submissions are sent once per call,
 * and the services decide what a failure means for the duty.
 */
import {
  ssz,
  type Attestation,
  type AttestationData,
  type BeaconBlock,
  type SignedAggregateAndProof,
  type SignedBeaconBlock,
  type SignedVoluntaryExit,
} from "../../types/index.ts";
import {toHex} from "../../util/bytes.ts";
import {BeaconApiError} from "./errors.ts";
import {ResponseReader} from "./decode.ts";
import {HttpClient, type HttpClientOptions, type HttpRequest, type HttpResponse} from "./http.ts";
import type {
  AttesterDuty,
  BeaconCommitteeSubscription,
  DutiesOf,
  ForkScheduleEntry,
  Genesis,
  ProposerDuty,
  SyncStatus,
  ValidatorInfo,
  ValidatorState,
} from "./types.ts";

/** The only fork Gnomon signs for. */
export const CONSENSUS_VERSION = "phase0";
const READ_RETRIES = 2;
/** Pubkeys per POST /validators request: ids lists are unbounded in the API, bodies are not. */
const VALIDATOR_IDS_PER_REQUEST = 1000;

export interface ProducedBlock {
  block: BeaconBlock;
  /** Eth-Consensus-Block-Value in wei, as the node stated it (informational). */
  consensusBlockValue: string | null;
}

export class BeaconApiClient {
  readonly http: HttpClient;

  constructor(opts: HttpClientOptions | HttpClient) {
    this.http = opts instanceof HttpClient ? opts : new HttpClient(opts);
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /** Genesis, or null while the node does not know it yet (404). */
  async getGenesis(): Promise<Genesis | null> {
    const r = new ResponseReader("GET /eth/v1/beacon/genesis");
    const res = await this.http.request({method: "GET", path: "/eth/v1/beacon/genesis", retries: READ_RETRIES, acceptStatuses: [404]});
    if (res.status === 404) return null;
    const d = r.object(r.data(res.json()), "data");
    return {
      genesisTime: r.uint(d.genesis_time, "data.genesis_time"),
      genesisValidatorsRoot: r.bytes(d.genesis_validators_root, 32, "data.genesis_validators_root"),
      genesisForkVersion: r.bytes(d.genesis_fork_version, 4, "data.genesis_fork_version"),
    };
  }

  /** The node's preset, config and constants, values as the API writes them (strings). */
  async getSpec(): Promise<Record<string, unknown>> {
    const r = new ResponseReader("GET /eth/v1/config/spec");
    const res = await this.http.request({method: "GET", path: "/eth/v1/config/spec", retries: READ_RETRIES});
    return r.object(r.data(res.json()), "data");
  }

  async getForkSchedule(): Promise<ForkScheduleEntry[]> {
    const r = new ResponseReader("GET /eth/v1/config/fork_schedule");
    const res = await this.http.request({method: "GET", path: "/eth/v1/config/fork_schedule", retries: READ_RETRIES});
    return r.array(r.data(res.json()), "data").map((f, i) => {
      const o = r.object(f, `data[${i}]`);
      return {
        previousVersion: r.bytes(o.previous_version, 4, `data[${i}].previous_version`),
        currentVersion: r.bytes(o.current_version, 4, `data[${i}].current_version`),
        epoch: r.uint(o.epoch, `data[${i}].epoch`),
      };
    });
  }

  async getSyncing(): Promise<SyncStatus> {
    const r = new ResponseReader("GET /eth/v1/node/syncing");
    const res = await this.http.request({method: "GET", path: "/eth/v1/node/syncing", retries: READ_RETRIES});
    const d = r.object(r.data(res.json()), "data");
    return {
      headSlot: r.uint(d.head_slot, "data.head_slot"),
      syncDistance: r.uint(d.sync_distance, "data.sync_distance"),
      isSyncing: r.bool(d.is_syncing, "data.is_syncing"),
      isOptimistic: d.is_optimistic === undefined ? false : r.bool(d.is_optimistic, "data.is_optimistic"),
    };
  }

  /** Whether each validator was seen live (attesting or proposing) in `epoch`, as the node observed it. */
  async getLiveness(epoch: number, indices: number[]): Promise<{index: number; isLive: boolean}[]> {
    const path = `/eth/v1/validator/liveness/${epoch}`;
    const r = new ResponseReader(`POST ${path}`);
    const res = await this.http.request({method: "POST", path, body: {json: indices.map(String)}, retries: READ_RETRIES});
    return r.array(r.data(res.json()), "data").map((v, i) => {
      const o = r.object(v, `data[${i}]`);
      return {index: r.uint(o.index, `data[${i}].index`), isLive: r.bool(o.is_live, `data[${i}].is_live`)};
    });
  }

  /** The validators among `pubkeys` that the head state knows (unknown keys are simply absent). */
  async getValidatorsByPubkey(pubkeys: Uint8Array[]): Promise<ValidatorInfo[]> {
    const path = "/eth/v1/beacon/states/head/validators";
    const r = new ResponseReader(`POST ${path}`);
    const out: ValidatorInfo[] = [];
    for (let i = 0; i < pubkeys.length; i += VALIDATOR_IDS_PER_REQUEST) {
      const ids = pubkeys.slice(i, i + VALIDATOR_IDS_PER_REQUEST).map(toHex);
      const res = await this.http.request({method: "POST", path, body: {json: {ids}}, retries: READ_RETRIES});
      r.array(r.data(res.json()), "data").forEach((v, j) => {
        const o = r.object(v, `data[${j}]`);
        const validator = r.object(o.validator, `data[${j}].validator`);
        out.push({
          index: r.uint(o.index, `data[${j}].index`),
          pubkey: r.bytes(validator.pubkey, 48, `data[${j}].validator.pubkey`),
          status: r.string(o.status, `data[${j}].status`),
        });
      });
    }
    return out;
  }

  /** One validator of the head state by pubkey, or null when the state does not hold it (404). */
  async getValidatorState(pubkey: Uint8Array): Promise<ValidatorState | null> {
    const path = `/eth/v1/beacon/states/head/validators/${toHex(pubkey)}`;
    const r = new ResponseReader(`GET ${path}`);
    const res = await this.http.request({method: "GET", path, retries: READ_RETRIES, acceptStatuses: [404]});
    if (res.status === 404) return null;
    const o = r.object(r.data(res.json()), "data");
    const v = r.object(o.validator, "data.validator");
    return {
      index: r.uint(o.index, "data.index"),
      pubkey: r.bytes(v.pubkey, 48, "data.validator.pubkey"),
      status: r.string(o.status, "data.status"),
      activationEpoch: r.uint(v.activation_epoch, "data.validator.activation_epoch"),
      exitEpoch: r.uint(v.exit_epoch, "data.validator.exit_epoch"),
    };
  }

  /** POST /eth/v1/beacon/pool/voluntary_exits: the node validates it and pools it for a block. */
  async submitVoluntaryExit(signed: SignedVoluntaryExit): Promise<void> {
    await this.http.request({method: "POST", path: "/eth/v1/beacon/pool/voluntary_exits", body: {json: ssz.SignedVoluntaryExit.toJson(signed)}});
  }

  getProposerDuties(epoch: number): Promise<DutiesOf<ProposerDuty>> {
    return this.getDuties({method: "GET", path: `/eth/v1/validator/duties/proposer/${epoch}`}, (d) => ({
      pubkey: d.pubkey(),
      validatorIndex: d.uint("validator_index"),
      slot: d.uint("slot"),
    }));
  }

  getAttesterDuties(epoch: number, indices: number[]): Promise<DutiesOf<AttesterDuty>> {
    const request = {method: "POST", path: `/eth/v1/validator/duties/attester/${epoch}`, body: {json: indices.map(String)}} as const;
    return this.getDuties(request, (d) => ({
      pubkey: d.pubkey(),
      validatorIndex: d.uint("validator_index"),
      committeeIndex: d.uint("committee_index"),
      committeeLength: d.uint("committee_length"),
      committeesAtSlot: d.uint("committees_at_slot"),
      validatorCommitteeIndex: d.uint("validator_committee_index"),
      slot: d.uint("slot"),
    }));
  }

  /** GET /eth/v3/validator/blocks/{slot}: an unsigned phase0 block, as SSZ where the node offers it. */
  async produceBlock(slot: number, randaoReveal: Uint8Array, graffiti: Uint8Array): Promise<ProducedBlock> {
    const path = `/eth/v3/validator/blocks/${slot}`;
    const r = new ResponseReader(`GET ${path}`);
    const res = await this.http.request({
      method: "GET",
      path,
      query: {randao_reveal: toHex(randaoReveal), graffiti: toHex(graffiti)},
      preferSsz: true,
    });
    const blockValue = res.headers.get("eth-consensus-block-value");
    if (res.isSsz()) {
      this.checkVersion(r, res.headers.get("eth-consensus-version"), "Eth-Consensus-Version header");
      if (res.headers.get("eth-execution-payload-blinded") === "true") throw r.bad("Eth-Execution-Payload-Blinded", "is true: blinded blocks are not supported");
      return {block: r.sszBytes(ssz.BeaconBlock, res.body, "body"), consensusBlockValue: blockValue};
    }
    const body = r.object(res.json(), "response");
    this.checkVersion(r, body.version, "version");
    if (body.execution_payload_blinded === true) throw r.bad("execution_payload_blinded", "is true: blinded blocks are not supported");
    const value = typeof body.consensus_block_value === "string" ? body.consensus_block_value : blockValue;
    return {block: r.sszJson(ssz.BeaconBlock, r.data(body), "data"), consensusBlockValue: value};
  }

  /** POST /eth/v2/beacon/blocks as SSZ. Resolves to the status: 200, or 202 (broadcast but not imported). */
  async publishBlock(signed: SignedBeaconBlock): Promise<number> {
    const res = await this.http.request({
      method: "POST",
      path: "/eth/v2/beacon/blocks",
      headers: {"Eth-Consensus-Version": CONSENSUS_VERSION},
      body: {ssz: ssz.SignedBeaconBlock.serialize(signed)},
      retries: 1,
    });
    return res.status;
  }

  async produceAttestationData(slot: number, committeeIndex: number): Promise<AttestationData> {
    const path = "/eth/v1/validator/attestation_data";
    const r = new ResponseReader(`GET ${path}`);
    const res = await this.http.request({method: "GET", path, query: {slot, committee_index: committeeIndex}, preferSsz: true, retries: 1});
    if (res.isSsz()) return r.sszBytes(ssz.AttestationData, res.body, "body");
    return r.sszJson(ssz.AttestationData, r.data(res.json()), "data");
  }

  /** POST /eth/v2/beacon/pool/attestations; per-item failures come back in the error's `failures`. */
  async submitAttestations(attestations: Attestation[]): Promise<void> {
    await this.http.request({
      method: "POST",
      path: "/eth/v2/beacon/pool/attestations",
      headers: {"Eth-Consensus-Version": CONSENSUS_VERSION},
      body: {json: attestations.map((a) => ssz.Attestation.toJson(a))},
    });
  }

  /** The node's best aggregate for the data root, or null when it has none (404). */
  async getAggregateAttestation(slot: number, attestationDataRoot: Uint8Array, committeeIndex: number): Promise<Attestation | null> {
    const path = "/eth/v2/validator/aggregate_attestation";
    const r = new ResponseReader(`GET ${path}`);
    const res = await this.http.request({
      method: "GET",
      path,
      query: {attestation_data_root: toHex(attestationDataRoot), slot, committee_index: committeeIndex},
      preferSsz: true,
      acceptStatuses: [404],
      retries: 1,
    });
    if (res.status === 404) return null;
    if (res.isSsz()) {
      this.checkVersion(r, res.headers.get("eth-consensus-version"), "Eth-Consensus-Version header");
      return r.sszBytes(ssz.Attestation, res.body, "body");
    }
    const body = r.object(res.json(), "response");
    this.checkVersion(r, body.version ?? res.headers.get("eth-consensus-version"), "version");
    return r.sszJson(ssz.Attestation, r.data(body), "data");
  }

  async submitAggregateAndProofs(aggregates: SignedAggregateAndProof[]): Promise<void> {
    await this.http.request({
      method: "POST",
      path: "/eth/v2/validator/aggregate_and_proofs",
      headers: {"Eth-Consensus-Version": CONSENSUS_VERSION},
      body: {json: aggregates.map((a) => ssz.SignedAggregateAndProof.toJson(a))},
    });
  }

  async submitBeaconCommitteeSubscriptions(subscriptions: BeaconCommitteeSubscription[]): Promise<void> {
    await this.http.request({
      method: "POST",
      path: "/eth/v1/validator/beacon_committee_subscriptions",
      body: {
        json: subscriptions.map((s) => ({
          validator_index: String(s.validatorIndex),
          committee_index: String(s.committeeIndex),
          committees_at_slot: String(s.committeesAtSlot),
          slot: String(s.slot),
          is_aggregator: s.isAggregator,
        })),
      },
      retries: 1,
    });
  }

  /** A duties response: its dependent root, and each duty read by `duty` from its fields. */
  private async getDuties<T>(
    request: Pick<HttpRequest, "method" | "path" | "body">,
    duty: (fields: {uint(key: string): number; pubkey(): Uint8Array}) => T
  ): Promise<DutiesOf<T>> {
    const r = new ResponseReader(`${request.method} ${request.path}`);
    const res = await this.http.request({...request, retries: READ_RETRIES});
    const body = r.object(res.json(), "response");
    return {
      dependentRoot: r.bytes(body.dependent_root, 32, "dependent_root"),
      executionOptimistic: body.execution_optimistic === true,
      duties: r.array(r.data(body), "data").map((x, i) => {
        const o = r.object(x, `data[${i}]`);
        return duty({uint: (key) => r.uint(o[key], `data[${i}].${key}`), pubkey: () => r.bytes(o.pubkey, 48, `data[${i}].pubkey`)});
      }),
    };
  }

  private checkVersion(r: ResponseReader, version: unknown, where: string): void {
    if (version === null || version === undefined) return;
    if (version !== CONSENSUS_VERSION) throw r.bad(where, `is ${JSON.stringify(version)}: only ${CONSENSUS_VERSION} is supported`);
  }
}

export {BeaconApiError};
