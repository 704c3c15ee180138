/** Fork-choice views for the debug endpoints (beacon-APIs debug/fork_choice and debug/heads). */
import {fromHex} from "../util/bytes.ts";
import type {BeaconChain} from "./chain.ts";
import type {ChainHead, ForkChoiceDump, ForkChoiceNodeDump} from "./interface.ts";

const ZERO_ROOT = new Uint8Array(32);

export function getForkChoiceDump(chain: BeaconChain): ForkChoiceDump {
  const fc = chain.forkChoice;
  const head = fc.getHead();
  const pa = fc.protoArray;
  const nodes: ForkChoiceNodeDump[] = [];
  for (let i = 0; i < pa.length; i++) {
    const b = pa.blockAt(i);
    nodes.push({
      slot: b.slot,
      blockRoot: fromHex(b.blockRoot),
      parentRoot: pa.parentOf(i) < 0 ? ZERO_ROOT : fromHex(b.parentRoot),
      stateRoot: fromHex(b.stateRoot),
      justifiedEpoch: b.justifiedEpoch,
      finalizedEpoch: b.finalizedEpoch,
      unrealizedJustifiedEpoch: b.unrealizedJustifiedEpoch,
      unrealizedFinalizedEpoch: b.unrealizedFinalizedEpoch,
      weight: Number(fc.getWeight(b.blockRoot)),
      validity: "valid",
      executionBlockHash: ZERO_ROOT,
    });
  }
  const j = fc.justifiedCheckpoint;
  const f = fc.finalizedCheckpoint;
  return {
    justifiedCheckpoint: {epoch: j.epoch, root: fromHex(j.root)},
    finalizedCheckpoint: {epoch: f.epoch, root: fromHex(f.root)},
    nodes,
    extraData: {
      head_root: head.blockRoot,
      proposer_boost_root: fc.proposerBoostRoot ?? "0x" + "00".repeat(32),
      store_time: String(fc.time),
      unrealized_justified_epoch: String(fc.unrealizedJustifiedCheckpoint.epoch),
      unrealized_finalized_epoch: String(fc.unrealizedFinalizedCheckpoint.epoch),
    },
  };
}

/** Leaves of the fork-choice tree: blocks no other known block builds on. */
export function getHeads(chain: BeaconChain): ChainHead[] {
  const pa = chain.forkChoice.protoArray;
  const out: ChainHead[] = [];
  for (let i = 0; i < pa.length; i++) {
    if (!pa.hasChildAt(i)) {
      const b = pa.blockAt(i);
      out.push({root: fromHex(b.blockRoot), slot: b.slot});
    }
  }
  return out;
}
