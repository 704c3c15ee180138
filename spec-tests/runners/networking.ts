/**
 * networking (consensus-specs tests/formats/networking/gossip_validation.md): each message of
 * meta.yaml goes through the node's own gossip validation (src/chain/validation, the functions
 * the GossipSink and the REST pools call) on a real BeaconChain built from the case's anchor
 * state and blocks, and its verdict must be the expected one. An accepted message then takes the
 * node's import step (which marks it seen), so a later repeat meets the seen caches.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {BeaconChain} from "../../src/chain/chain.ts";
import {GossipAction, type GossipVerdict} from "../../src/chain/gossip/interface.ts";
import {ACCEPT_VERDICT, verdictOfError} from "../../src/chain/gossip/verdict.ts";
import {importAggregate, validateAggregateBatch} from "../../src/chain/validation/aggregateAndProof.ts";
import {importAttestation, validateAttestationBatch, type Outcome} from "../../src/chain/validation/attestation.ts";
import {validateGossipBlock} from "../../src/chain/validation/block.ts";
import type {ValidationContext} from "../../src/chain/validation/context.ts";
import {
  importAttesterSlashing,
  importProposerSlashing,
  importVoluntaryExit,
  validateAttesterSlashing,
  validateProposerSlashing,
  validateVoluntaryExit,
} from "../../src/chain/validation/operations.ts";
import {FakeTime} from "../../src/clock/index.ts";
import {BeaconDb} from "../../src/db/index.ts";
import type {CheckpointHex} from "../../src/fork-choice/index.ts";
import {computeEpochAtSlot} from "../../src/state-transition/index.ts";
import {ssz, type SignedBeaconBlock} from "../../src/types/index.ts";
import {toHex} from "../../src/util/bytes.ts";
import {CaseFailure, type CaseContext, type Runner} from "../harness/types.ts";
import {caseConfig, loadState} from "./sanity.ts";
import {yamlFields} from "./yamlFields.ts";

type Expected = "valid" | "ignore" | "reject";

interface MessageStep {
  message: string;
  expected: Expected;
  offsetMs: number;
  subnetId: number | null;
  reason: string;
}

interface BlockEntry {
  block: string;
  failed: boolean;
}

interface Meta {
  topic: string;
  blocks: BlockEntry[];
  finalized: {epoch: number; root?: string; block?: string} | null;
  currentTimeMs: number;
  messages: MessageStep[];
}

const ACTION_OF: Record<Expected, GossipVerdict["action"]> = {valid: GossipAction.ACCEPT, ignore: GossipAction.IGNORE, reject: GossipAction.REJECT};

const {malformed, uint, record, fileName} = yamlFields("meta.yaml");

function readCaseMeta(ctx: CaseContext): Meta {
  const raw = record(ctx.readYaml("meta"), "meta.yaml");
  if (typeof raw.topic !== "string") throw malformed("topic is missing");
  const blocks = ((raw.blocks ?? []) as unknown[]).map((b, i) => {
    const r = record(b, `blocks[${i}]`);
    if (r.pending === true || r.payload !== undefined || r.payload_status !== undefined) {
      throw new CaseFailure(`blocks[${i}] uses a post-phase0 field (pending/payload)`);
    }
    return {block: fileName(r.block, `blocks[${i}].block`), failed: r.failed === true};
  });
  let finalized: Meta["finalized"] = null;
  if (raw.finalized_checkpoint !== undefined) {
    const f = record(raw.finalized_checkpoint, "finalized_checkpoint");
    finalized = {epoch: uint(f.epoch, "finalized_checkpoint.epoch")};
    if (typeof f.root === "string") finalized.root = f.root.toLowerCase();
    else finalized.block = fileName(f.block, "finalized_checkpoint.block");
  }
  const messages = ((raw.messages ?? []) as unknown[]).map((m, i) => {
    const r = record(m, `messages[${i}]`);
    const expected = r.expected;
    if (expected !== "valid" && expected !== "ignore" && expected !== "reject") throw malformed(`messages[${i}].expected is ${String(expected)}`);
    const step: MessageStep = {
      message: fileName(r.message, `messages[${i}].message`),
      expected,
      offsetMs: r.offset_ms === undefined ? 0 : uint(r.offset_ms, `messages[${i}].offset_ms`),
      subnetId: r.subnet_id === undefined ? null : uint(r.subnet_id, `messages[${i}].subnet_id`),
      reason: typeof r.reason === "string" ? r.reason : "",
    };
    return step;
  });
  return {
    topic: raw.topic,
    blocks,
    finalized,
    currentTimeMs: raw.current_time_ms === undefined ? 0 : uint(raw.current_time_ms, "current_time_ms"),
    messages,
  };
}

function readBlock(ctx: CaseContext, name: string): SignedBeaconBlock {
  try {
    return ssz.SignedBeaconBlock.deserialize(ctx.readSsz(name));
  } catch (e) {
    throw new CaseFailure(`${name}.ssz_snappy is not a SignedBeaconBlock: ${(e as Error).message}`);
  }
}

function decode<T>(ctx: CaseContext, name: string, type: {deserialize(b: Uint8Array): T}): T {
  try {
    return type.deserialize(ctx.readSsz(name));
  } catch (e) {
    throw new CaseFailure(`${name}.ssz_snappy does not decode: ${(e as Error).message}`);
  }
}

/** One message through the validation of its topic; on ACCEPT, the import step. */
async function validateMessage(ctx: CaseContext, chain: BeaconChain, v: ValidationContext, topic: string, step: MessageStep, nowMs: number): Promise<GossipVerdict> {
  const single = async <T>(outcome: Promise<Outcome<T>[]>, importOne: (value: T) => void): Promise<GossipVerdict> => {
    const [o] = await outcome;
    if (!o.ok) return verdictOfError(o.error);
    importOne(o.value);
    return ACCEPT_VERDICT;
  };
  try {
    switch (topic) {
      case "beacon_block": {
        const signed = readBlock(ctx, step.message);
        await validateGossipBlock(v, signed, nowMs);
        chain.seen.blockProposers.add(signed.message.slot, signed.message.proposer_index);
        return ACCEPT_VERDICT;
      }
      case "beacon_attestation": {
        if (step.subnetId === null) throw malformed(`${step.message} has no subnet_id`);
        const attestation = decode(ctx, step.message, ssz.Attestation);
        return await single(validateAttestationBatch(v, [{attestation, subnet: step.subnetId, nowMs}]), (x) => importAttestation(chain, x));
      }
      case "beacon_aggregate_and_proof": {
        const signed = decode(ctx, step.message, ssz.SignedAggregateAndProof);
        return await single(validateAggregateBatch(v, [{signed, nowMs}]), (x) => importAggregate(chain, x));
      }
      case "voluntary_exit": {
        const exit = decode(ctx, step.message, ssz.SignedVoluntaryExit);
        await validateVoluntaryExit(v, exit);
        importVoluntaryExit(chain, exit);
        return ACCEPT_VERDICT;
      }
      case "proposer_slashing": {
        const slashing = decode(ctx, step.message, ssz.ProposerSlashing);
        await validateProposerSlashing(v, slashing);
        importProposerSlashing(chain, slashing);
        return ACCEPT_VERDICT;
      }
      case "attester_slashing": {
        const slashing = decode(ctx, step.message, ssz.AttesterSlashing);
        importAttesterSlashing(chain, await validateAttesterSlashing(v, slashing));
        return ACCEPT_VERDICT;
      }
      default:
        throw new CaseFailure(`topic ${topic} is not a phase0 gossip topic`);
    }
  } catch (e) {
    if (e instanceof CaseFailure) throw e;
    return verdictOfError(e);
  }
}

export const runner: Runner = {
  name: "networking",
  async run(ctx: CaseContext): Promise<void> {
    const meta = readCaseMeta(ctx);
    const state = loadState(ctx, "state");
    const blocks = meta.blocks.map((b) => ({...b, signed: readBlock(ctx, b.block)}));

    // The anchor: the first block (consistent with the state), or the state's own latest header.
    let anchorRoot: Uint8Array;
    if (blocks.length > 0) {
      anchorRoot = ssz.BeaconBlock.hashTreeRoot(blocks[0].signed.message);
    } else {
      const header = state.latest_block_header.toValue();
      if (header.state_root.every((b) => b === 0)) header.state_root = state.hashTreeRoot();
      anchorRoot = ssz.BeaconBlockHeader.hashTreeRoot(header);
    }
    const genesisMs = state.genesis_time * 1000;
    const time = new FakeTime(genesisMs + meta.currentTimeMs);
    const dir = mkdtempSync(join(tmpdir(), "gnomon-networking-"));
    const db = await BeaconDb.open(dir);
    const chain = new BeaconChain({
      config: caseConfig(ctx),
      db,
      anchor: {
        stateBytes: state.serialize(),
        blockRoot: anchorRoot,
        finalizedCheckpoint: {epoch: computeEpochAtSlot(state.slot), root: anchorRoot},
        genesisBlockRoot: anchorRoot,
      },
      time,
    });
    try {
      for (const b of blocks.slice(1)) {
        const root = toHex(ssz.BeaconBlock.hashTreeRoot(b.signed.message));
        if (b.failed) {
          chain.seen.invalidBlocks.add(root);
          continue;
        }
        try {
          await chain.processBlock(b.signed, "sync");
        } catch (e) {
          throw new CaseFailure(`store block ${b.block} does not import: ${(e as Error).message}`);
        }
      }
      let finalized: CheckpointHex | null = null;
      if (meta.finalized !== null) {
        const f = meta.finalized;
        const root = f.root ?? toHex(ssz.BeaconBlock.hashTreeRoot(readBlock(ctx, f.block as string).message));
        finalized = {epoch: f.epoch, root};
      }
      const override = finalized;
      const v: ValidationContext = override === null ? chain.validation : {...chain.validation, finalizedCheckpoint: () => override};

      for (const [i, step] of meta.messages.entries()) {
        const nowMs = genesisMs + meta.currentTimeMs + step.offsetMs;
        const got = await validateMessage(ctx, chain, v, meta.topic, step, nowMs);
        if (got.action !== ACTION_OF[step.expected]) {
          const why = step.reason === "" ? "" : ` (${step.reason})`;
          throw new CaseFailure(`message ${i} ${step.message}: expected ${step.expected}${why}, got ${got.action} ${got.reason}`);
        }
      }
    } finally {
      await chain.stop();
      await db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  },
};
