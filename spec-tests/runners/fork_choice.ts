/**
 * fork_choice (consensus-specs tests/formats/fork_choice): a store from anchor_state and
 * anchor_block, then steps.yaml in order. A block step also feeds the block's attestations to
 * on_attestation (is_from_block) and its attester slashings to on_attester_slashing. A step
 * marked `valid: false` must be refused and must leave the store exactly as it was.
 *
 * Every case is replayed twice: on the fork-choice Store (the spec's handlers one to one), then
 * through the node's BeaconChain (fork_choice_chain.ts), so the vectors also cover the import
 * path the node runs.
 */
import {ACTIVE_PRESET, createChainConfig} from "../../src/params/index.ts";
import {createCachedBeaconState} from "../../src/state-transition/index.ts";
import {getForkchoiceStore, type Store} from "../../src/fork-choice/store/store.ts";
import {ssz} from "../../src/types/index.ts";
import {toHex} from "../../src/util/bytes.ts";
import {CaseFailure, type CaseContext, type Runner} from "../harness/types.ts";
import {replayOnChain} from "./fork_choice_chain.ts";
import {expectOutcome, readSteps, runChecks, type ForkChoiceStep, type ForkChoiceView} from "./fork_choice_steps.ts";
import {yamlFields} from "./yamlFields.ts";

const {record} = yamlFields("meta.yaml");

function storeView(store: Store): ForkChoiceView {
  return {
    head: () => {
      const head = store.getHead();
      return {slot: head.slot, root: toHex(head.root)};
    },
    time: () => store.time,
    genesisTime: () => store.genesisTime,
    justified: () => ({epoch: store.justifiedCheckpoint.epoch, root: toHex(store.justifiedCheckpoint.root)}),
    finalized: () => ({epoch: store.finalizedCheckpoint.epoch, root: toHex(store.finalizedCheckpoint.root)}),
    proposerBoostRoot: () => toHex(store.proposerBoostRoot),
    proposerHead: () => toHex(store.getProposerHead(store.getHead().root, store.getCurrentSlot())),
    viableForHeadRootsAndWeights: () => store.forkChoice.getViableForHeadRootsAndWeights(),
  };
}

async function replayOnStore(anchorStateBytes: Uint8Array, anchorBlockBytes: Uint8Array, steps: ForkChoiceStep[], verifySignatures: boolean): Promise<void> {
  const anchorState = ssz.BeaconState.deserializeToViewDU(anchorStateBytes);
  const anchorBlock = ssz.BeaconBlock.deserialize(anchorBlockBytes);
  const store = getForkchoiceStore(createCachedBeaconState(anchorState, createChainConfig(ACTIVE_PRESET)), anchorBlock, {verifySignatures});
  const view = storeView(store);
  const snapshot = () => JSON.stringify(store.snapshot());
  for (const step of steps) {
    const {at, valid} = step;
    switch (step.kind) {
      case "tick":
        await expectOutcome(valid, `${at} on_tick(${step.time})`, snapshot, () => store.onTick(step.time));
        break;
      case "block": {
        const {signed} = step;
        await expectOutcome(valid, `${at} on_block(${step.name})`, snapshot, () => store.onBlock(signed));
        if (!valid) break;
        const body = signed.message.body;
        for (const [i, att] of body.attestations.entries()) {
          await expectOutcome(true, `${at} on_attestation(block attestation ${i})`, snapshot, () => store.onAttestation(att, true));
        }
        for (const [i, slashing] of body.attester_slashings.entries()) {
          await expectOutcome(true, `${at} on_attester_slashing(block slashing ${i})`, snapshot, () => store.onAttesterSlashing(slashing));
        }
        break;
      }
      case "attestation":
        await expectOutcome(valid, `${at} on_attestation(${step.name})`, snapshot, () => store.onAttestation(step.attestation, false));
        break;
      case "attester_slashing":
        await expectOutcome(valid, `${at} on_attester_slashing(${step.name})`, snapshot, () => store.onAttesterSlashing(step.slashing));
        break;
      case "checks":
        runChecks(view, step.checks, at);
        break;
    }
  }
}

/** A failure says which replay found it. */
async function labelled(label: string, replay: () => Promise<void>): Promise<void> {
  try {
    await replay();
  } catch (e) {
    if (e instanceof CaseFailure) throw new CaseFailure(`${label}: ${e.message}`);
    throw e;
  }
}

export const runner: Runner = {
  name: "fork_choice",
  async run(ctx: CaseContext): Promise<void> {
    let verifySignatures = true;
    if (ctx.has("meta.yaml")) {
      const meta = record(ctx.readYaml("meta"), "meta.yaml");
      // bls_setting 2: signatures are not meant to verify.
      if (meta.bls_setting !== undefined && Number(meta.bls_setting) === 2) verifySignatures = false;
    }
    const anchorState = ctx.readSsz("anchor_state");
    const anchorBlock = ctx.readSsz("anchor_block");
    const steps = readSteps(ctx);
    await labelled("store", () => replayOnStore(anchorState, anchorBlock, steps, verifySignatures));
    await labelled("chain", () => replayOnChain(anchorState, anchorBlock, steps, {verifySignatures}));
  },
};
