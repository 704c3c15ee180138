/**
 * Checkpoint sync, the REST half: a finalized block and its post-state fetched from another node's
 * standard Beacon API, verified against each other (and against a weak-subjectivity checkpoint
 * when one is given), to start a chain from instead of genesis. Blocks before the anchor come
 * later from backfill, blocks after it from forward sync; both work from the stored anchor.
 */
import {systemTime, timeoutSignal, type TimeSource} from "../clock/index.ts";
import {SLOTS_PER_EPOCH, type ChainConfig} from "../params/index.ts";
import {computeStartSlotAtEpoch} from "../state-transition/index.ts";
import {ssz, type Checkpoint} from "../types/index.ts";
import {bytesEqual, fromHex, toHex} from "../util/bytes.ts";
import {errorMessage, GnomonError, InputError} from "../util/errors.ts";
import type {CheckpointAnchor} from "../chain/index.ts";
import {describeStatePreset} from "./genesisFile.ts";
import {configMismatches} from "./network.ts";

export class CheckpointSyncError extends GnomonError {}

/** A weak-subjectivity checkpoint as operators write it: `0x<block root>:<epoch>`. */
export function parseWssCheckpoint(text: string): Checkpoint {
  const m = /^(0x[0-9a-fA-F]{64}):([0-9]+)$/.exec(text.trim());
  if (m === null) throw new InputError(`--wss-checkpoint must be 0x<32-byte block root>:<epoch>, got "${text}"`);
  return {root: fromHex(m[1], 32), epoch: Number(m[2])};
}

export function parseCheckpointSyncUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new InputError(`--checkpoint-sync-url must be a URL such as http://127.0.0.1:5052, got "${text}"`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new InputError(`--checkpoint-sync-url must be an http(s) URL, got "${text}"`);
  if (u.pathname !== "/" && u.pathname !== "") throw new InputError(`--checkpoint-sync-url must be the node's base URL without a path (${u.origin}), got "${text}"`);
  return u.origin;
}

export interface CheckpointSyncOptions {
  /** This node's chain config: the source must run the same network. */
  config: ChainConfig;
  url: string;
  wss?: Checkpoint;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Where the request timeout is measured (default wall time). */
  time?: TimeSource;
}

/** GET `path` and read its answer with `read`, the whole exchange (body included) under the timeout. */
async function get<T>(opts: CheckpointSyncOptions, path: string, ssz: boolean, read: (res: Response) => Promise<T>): Promise<T> {
  const timeout = timeoutSignal(opts.time ?? systemTime, opts.timeoutMs ?? 120_000);
  const signals = [timeout.signal, ...(opts.signal ? [opts.signal] : [])];
  try {
    let res: Response;
    try {
      res = await fetch(opts.url + path, {headers: {accept: ssz ? "application/octet-stream" : "application/json"}, signal: AbortSignal.any(signals)});
    } catch (e) {
      throw new CheckpointSyncError("CHECKPOINT_SYNC_UNREACHABLE", `GET ${opts.url}${path}: ${errorMessage(e)}`, {cause: e});
    }
    if (!res.ok) {
      const body = await res.text().catch(() => "");
      throw new CheckpointSyncError("CHECKPOINT_SYNC_FAILED", `GET ${opts.url}${path}: HTTP ${res.status} ${body.slice(0, 200)}`);
    }
    return await read(res);
  } finally {
    timeout.cancel();
  }
}

async function getJsonData(opts: CheckpointSyncOptions, path: string): Promise<Record<string, unknown>> {
  const body = (await get(opts, path, false, (res) => res.json())) as {data?: Record<string, unknown>};
  if (typeof body?.data !== "object" || body.data === null) throw new CheckpointSyncError("CHECKPOINT_SYNC_FAILED", `GET ${opts.url}${path}: no data in the answer`);
  return body.data;
}

async function getSsz(opts: CheckpointSyncOptions, path: string): Promise<Uint8Array> {
  return get(opts, path, true, async (res) => {
    const version = res.headers.get("eth-consensus-version");
    if (version !== null && version !== "phase0") {
      throw new CheckpointSyncError("CHECKPOINT_SYNC_FAILED", `GET ${opts.url}${path}: the source serves a ${version} object; Gnomon runs phase0 only`);
    }
    return new Uint8Array(await res.arrayBuffer());
  });
}

/** The source must run this node's network: the values that make its states and signatures ours. */
async function checkSourceNetwork(opts: CheckpointSyncOptions): Promise<void> {
  const {config} = opts;
  const spec = await getJsonData(opts, "/eth/v1/config/spec");
  const remote: Record<string, string> = {};
  for (const key of ["GENESIS_FORK_VERSION", "SLOT_DURATION_MS", "SECONDS_PER_SLOT", "SLOTS_PER_EPOCH"]) {
    if (typeof spec[key] === "string") remote[key] = spec[key];
  }
  if (remote.SLOT_DURATION_MS !== undefined) delete remote.SECONDS_PER_SLOT;
  if (spec.PRESET_BASE !== undefined && spec.PRESET_BASE !== config.PRESET_BASE) {
    throw new InputError(`the checkpoint source runs PRESET_BASE=${String(spec.PRESET_BASE)}, this node ${config.PRESET_BASE} (give --preset/--config of its network)`);
  }
  if (remote.SLOTS_PER_EPOCH !== undefined && Number(remote.SLOTS_PER_EPOCH) !== SLOTS_PER_EPOCH) {
    throw new InputError(`the checkpoint source has SLOTS_PER_EPOCH=${remote.SLOTS_PER_EPOCH}, this node ${SLOTS_PER_EPOCH}`);
  }
  delete remote.SLOTS_PER_EPOCH;
  const local: Record<string, string> = {};
  for (const [k, v] of Object.entries(config.raw)) if (typeof v !== "object") local[k] = String(v);
  const diff = configMismatches(config.PRESET_BASE, local, remote);
  if (diff.length > 0) {
    const d = diff[0];
    throw new InputError(`the checkpoint source has ${d.key}=${d.requested}, this node ${d.key}=${d.stored} (give --config of its network)`);
  }
}

/**
 * Fetches the source's finalized block (or the weak-subjectivity checkpoint's block) and the state
 * after it, and verifies them: the block's state_root is the state's hash_tree_root, the slots
 * agree, the block is the checkpoint's root at or before the checkpoint epoch's start, and the
 * state belongs to the network this node runs.
 */
export async function fetchCheckpointAnchor(opts: CheckpointSyncOptions): Promise<CheckpointAnchor> {
  const {config} = opts;
  await checkSourceNetwork(opts);
  let checkpoint: Checkpoint;
  if (opts.wss !== undefined) {
    checkpoint = opts.wss;
  } else {
    const data = await getJsonData(opts, "/eth/v1/beacon/states/head/finality_checkpoints");
    const f = data.finalized as {epoch?: string; root?: string} | undefined;
    if (f?.epoch === undefined || f.root === undefined) throw new CheckpointSyncError("CHECKPOINT_SYNC_FAILED", "the source's finality_checkpoints has no finalized checkpoint");
    checkpoint = {epoch: Number(f.epoch), root: fromHex(f.root, 32)};
  }
  const rootHex = toHex(checkpoint.root);
  const blockBytes = await getSsz(opts, `/eth/v2/beacon/blocks/${rootHex}`);
  let block;
  try {
    block = ssz.SignedBeaconBlock.deserialize(blockBytes);
  } catch (e) {
    throw new CheckpointSyncError("CHECKPOINT_SYNC_INVALID", `the block ${rootHex} from the source is not an SSZ phase0 SignedBeaconBlock of the ${config.PRESET_BASE} preset: ${errorMessage(e)}`);
  }
  const blockRoot = ssz.BeaconBlock.hashTreeRoot(block.message);
  if (!bytesEqual(blockRoot, checkpoint.root)) {
    throw new CheckpointSyncError("CHECKPOINT_SYNC_INVALID", `the source answered block ${toHex(blockRoot)} for the checkpoint root ${rootHex}`);
  }
  const slot = block.message.slot;
  if (slot > computeStartSlotAtEpoch(checkpoint.epoch)) {
    throw new CheckpointSyncError("CHECKPOINT_SYNC_INVALID", `block ${rootHex} is at slot ${slot}, after the start of checkpoint epoch ${checkpoint.epoch}`);
  }
  const stateBytes = await getSsz(opts, `/eth/v2/debug/beacon/states/${slot}`);
  let state;
  try {
    state = ssz.BeaconState.deserializeToViewDU(stateBytes);
  } catch (e) {
    throw new CheckpointSyncError("CHECKPOINT_SYNC_INVALID", `the state at slot ${slot} from the source ${describeStatePreset(stateBytes, config.PRESET_BASE)}: ${errorMessage(e)}`);
  }
  const stateRoot = state.hashTreeRoot();
  if (state.slot !== slot) throw new CheckpointSyncError("CHECKPOINT_SYNC_INVALID", `the source's state is at slot ${state.slot}, its block at slot ${slot}`);
  if (!bytesEqual(stateRoot, block.message.state_root)) {
    throw new CheckpointSyncError(
      "CHECKPOINT_SYNC_INVALID",
      `block ${rootHex} has state_root ${toHex(block.message.state_root)}, but the source's state hashes to ${toHex(stateRoot)}`
    );
  }
  if (!bytesEqual(state.fork.current_version, config.GENESIS_FORK_VERSION)) {
    throw new InputError(`the checkpoint state has fork version ${toHex(state.fork.current_version)}, this node's GENESIS_FORK_VERSION is ${toHex(config.GENESIS_FORK_VERSION)}`);
  }
  const genesisBlockRoot = await getJsonData(opts, "/eth/v1/beacon/blocks/genesis/root")
    .then((d) => fromHex(String(d.root), 32))
    .catch(() => new Uint8Array(32));
  return {state, block, checkpoint, genesisBlockRoot};
}
