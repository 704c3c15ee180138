/**
 * The fork_choice vectors through the node's own code: a BeaconChain opened on an in-memory
 * database at the anchor, on a FakeTime clock that the chain's slot timers run on. Ticks advance
 * that time (the chain's clock fires its slot and duty points, then fork choice ticks to the
 * exact second); blocks go through chain.processBlock as synced blocks (the full import: state
 * transition with signatures, the database write, fork choice with the block's attestations and
 * attester slashings, head and finalization); attestations through the aggregate import
 * (submitAggregateAndProofs, the REST and gossip aggregate validation); attester slashings
 * through submitAttesterSlashing. The checks read the chain.
 *
 * The vectors' attestations are bare aggregates, and the node takes aggregates only from an
 * aggregator: each is wrapped in a SignedAggregateAndProof by a member of its committee, signed
 * with that member's key (the consensus-specs test keys: validator i has secret key i + 1).
 */
import {createHash} from "node:crypto";
import {callingThreadVerifier, secretKeyFromBytes, sign, skToPk, type AsyncSignatureVerifier, type SecretKey} from "../../src/crypto/index.ts";
import {BeaconChain} from "../../src/chain/chain.ts";
import {openChain} from "../../src/chain/open.ts";
import {isAggregator} from "../../src/chain/validation/aggregateAndProof.ts";
import {FakeTime} from "../../src/clock/fakeTime.ts";
import {BeaconDb, MemoryStore} from "../../src/db/index.ts";
import {getProposerHead} from "../../src/fork-choice/proposerHead.ts";
import {ACTIVE_PRESET, createChainConfig, DOMAIN_AGGREGATE_AND_PROOF, DOMAIN_SELECTION_PROOF} from "../../src/params/index.ts";
import {computeEpochAtSlot, computeSigningRoot, getDomain} from "../../src/state-transition/index.ts";
import {primitive, ssz, type Attestation, type SignedAggregateAndProof} from "../../src/types/index.ts";
import {toHex} from "../../src/util/bytes.ts";
import {CaseFailure} from "../harness/types.ts";
import {expectOutcome, runChecks, type ForkChoiceStep, type ForkChoiceView} from "./fork_choice_steps.ts";

/** bls_setting 2 (signatures not meant to verify): the chain runs on a verifier that accepts all. */
const acceptAll: AsyncSignatureVerifier = {verifySignatureSets: async () => true};

const ZERO_ROOT = toHex(new Uint8Array(32));

/** The consensus-specs test key of validator `index`: secret key index + 1. */
function specTestKey(index: number): SecretKey {
  const bytes = new Uint8Array(32);
  new DataView(bytes.buffer).setUint32(28, index + 1);
  return secretKeyFromBytes(bytes);
}

function chainView(chain: BeaconChain): ForkChoiceView {
  const fc = chain.forkChoice;
  const checkpoint = (cp: {epoch: number; root: Uint8Array}) => ({epoch: cp.epoch, root: toHex(cp.root)});
  return {
    head: () => {
      const head = chain.getHead();
      return {slot: head.slot, root: toHex(head.root)};
    },
    time: () => fc.time,
    genesisTime: () => chain.genesis.genesisTime,
    justified: () => checkpoint(chain.getJustifiedCheckpoint()),
    finalized: () => checkpoint(chain.getFinalizedCheckpoint()),
    proposerBoostRoot: () => fc.proposerBoostRoot ?? ZERO_ROOT,
    proposerHead: () => getProposerHead(fc, chain.headRoot, fc.getCurrentSlot(), (root) => equivocatingCommitteeBalance(chain, root)),
    viableForHeadRootsAndWeights: () => fc.getViableForHeadRootsAndWeights(),
  };
}

/** is_head_weak's term from the chain's states: equivocating head-slot committee members' effective balance in the justified state. */
function equivocatingCommitteeBalance(chain: BeaconChain, headRoot: string): bigint {
  const fc = chain.forkChoice;
  if (fc.votes.equivocatingSize === 0) return 0n;
  const {epochCtx} = chain.regen.getBlockState(headRoot);
  const justified = chain.regen.getCheckpointState(fc.justifiedCheckpoint.epoch, fc.justifiedCheckpoint.root).state;
  const slot = fc.requireBlock(headRoot).slot;
  let sum = 0n;
  for (let c = 0; c < epochCtx.getCommitteeCountPerSlot(computeEpochAtSlot(slot)); c++) {
    for (const i of epochCtx.getBeaconCommittee(slot, c)) {
      if (fc.isEquivocating(i)) sum += BigInt(justified.validators.getReadonly(i).effective_balance);
    }
  }
  return sum;
}

/** The attestation as an aggregator of its committee would publish it. */
function asAggregate(chain: BeaconChain, attestation: Attestation): SignedAggregateAndProof {
  const data = attestation.data;
  const s = chain.regen.getCheckpointState(data.target.epoch, toHex(data.target.root));
  const committee = s.epochCtx.getBeaconCommittee(data.slot, data.index);
  const selectionDomain = getDomain(s.state, DOMAIN_SELECTION_PROOF, data.target.epoch);
  for (const index of committee) {
    const sk = specTestKey(index);
    if (toHex(skToPk(sk)) !== toHex(s.state.validators.getReadonly(index).pubkey)) {
      throw new CaseFailure(`validator ${index}'s key is not the consensus-specs test key ${index + 1}`);
    }
    const selectionProof = sign(sk, computeSigningRoot(primitive.Uint64, data.slot, selectionDomain));
    if (!isAggregator(committee.length, selectionProof)) continue;
    const message = {aggregator_index: index, aggregate: attestation, selection_proof: selectionProof};
    const domain = getDomain(s.state, DOMAIN_AGGREGATE_AND_PROOF, data.target.epoch);
    return {message, signature: sign(sk, computeSigningRoot(ssz.AggregateAndProof, message, domain))};
  }
  throw new CaseFailure(`no member of committee ${data.index} at slot ${data.slot} is an aggregator`);
}

/** The chain's fork choice, head and database, compared before and after a refused step. */
async function chainState(chain: BeaconChain, store: MemoryStore): Promise<string> {
  const hash = createHash("sha256");
  for await (const [k, v] of store.entries({})) hash.update(k).update(v);
  return JSON.stringify({fc: chain.forkChoice.snapshot(), head: chain.headRoot, db: hash.digest("hex")}, (_, v) => (typeof v === "bigint" ? v.toString() : v));
}

export async function replayOnChain(
  anchorStateBytes: Uint8Array,
  anchorBlockBytes: Uint8Array,
  steps: ForkChoiceStep[],
  opts: {verifySignatures: boolean}
): Promise<void> {
  const state = ssz.BeaconState.deserializeToViewDU(anchorStateBytes);
  const anchorBlock = ssz.BeaconBlock.deserialize(anchorBlockBytes);
  const anchorRoot = ssz.BeaconBlock.hashTreeRoot(anchorBlock);
  const config = createChainConfig(ACTIVE_PRESET);
  // get_forkchoice_store: store.time is the anchor slot's start, both checkpoints are (anchor epoch, anchor root).
  const time = new FakeTime(state.genesis_time * 1000 + state.slot * config.SLOT_DURATION_MS);
  const store = new MemoryStore();
  const db = new BeaconDb(store);
  const {chain} = await openChain({
    db,
    checkpointAnchor: async () => ({
      state,
      block: {message: anchorBlock, signature: new Uint8Array(96)},
      checkpoint: {epoch: computeEpochAtSlot(state.slot), root: anchorRoot},
      genesisBlockRoot: anchorRoot,
    }),
    network: {preset: ACTIVE_PRESET, configOverrides: {}},
    config,
    time,
    blsVerifier: opts.verifySignatures ? callingThreadVerifier : acceptAll,
  });
  chain.start();
  const view = chainView(chain);
  const snapshot = () => chainState(chain, store);
  try {
    for (const step of steps) {
      const {at, valid} = step;
      switch (step.kind) {
        case "tick":
          await expectOutcome(valid, `${at} tick(${step.time})`, snapshot, async () => {
            const ms = step.time * 1000 - time.now();
            if (ms > 0) time.advance(ms);
            // The clock ticked fork choice at its slot and duty points; this reaches the exact second.
            await chain.lock.run(async () => {
              chain.tickForkChoice();
              await chain.afterForkChoiceChange({emitEvents: true});
            });
          });
          break;
        case "block":
          await expectOutcome(valid, `${at} processBlock(${step.name})`, snapshot, () => chain.processBlock(step.signed, "sync"));
          break;
        case "attestation":
          await expectOutcome(valid, `${at} submitAggregateAndProofs(${step.name})`, snapshot, async () => {
            const failures = await chain.submitAggregateAndProofs([asAggregate(chain, step.attestation)]);
            if (failures.length > 0) throw new Error(`${failures[0].code}: ${failures[0].message}`);
          });
          break;
        case "attester_slashing":
          await expectOutcome(valid, `${at} submitAttesterSlashing(${step.name})`, snapshot, () => chain.submitAttesterSlashing(step.slashing));
          break;
        case "checks":
          // An attestation moves fork choice's weights at once, but the node recomputes its head
          // only at its next clock point or block; get_head is asked now, so recompute it first.
          await chain.lock.run(() => chain.afterForkChoiceChange({emitEvents: true}));
          runChecks(view, step.checks, at);
          break;
      }
    }
  } finally {
    await chain.stop();
    await db.close();
  }
}
