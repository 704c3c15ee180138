/**
 * What a run records of its nodes: every block imported (with its votes, for accountable
 * safety), every reorg, each node's view at the end of each slot, participation per epoch, and
 * the trace lines of all of it.
 */
import type {BeaconChain} from "../chain/index.ts";
import {previousEpochTargetParticipation} from "../chain/participation.ts";
import {getAttestingIndices} from "../state-transition/util/attestation.ts";
import {toHex} from "../util/bytes.ts";
import type {Trace} from "./trace.ts";
import type {BlockObservation, NodeSlotView, ReorgObservation} from "./types.ts";

export class Observer {
  readonly blocks = new Map<string, BlockObservation>();
  readonly reorgs: ReorgObservation[] = [];
  readonly views: NodeSlotView[][];
  readonly participation: {epoch: number; targetParticipation: number | null}[] = [];
  private readonly chains: BeaconChain[];
  private readonly trace: Trace;

  constructor(chains: BeaconChain[], trace: Trace) {
    this.chains = chains;
    this.trace = trace;
    this.views = chains.map(() => []);
    chains.forEach((chain, node) => {
      chain.events.on("block", (e) => this.onBlock(chain, node, toHex(e.block)));
      chain.events.on("chain_reorg", (e) => {
        const r: ReorgObservation = {node, slot: e.slot, depth: e.depth, oldHead: toHex(e.oldHeadBlock), newHead: toHex(e.newHeadBlock)};
        this.reorgs.push(r);
        this.trace.at({kind: "reorg", node, slot: r.slot, depth: r.depth, old: r.oldHead.slice(0, 18), new: r.newHead.slice(0, 18)});
      });
    });
  }

  /** Each node's view at the end of `slot`; at an epoch's last slot also the participation the first node's head state shows. */
  endOfSlot(slot: number, slotsPerEpoch: number, participationNode: number): void {
    this.chains.forEach((chain, node) => {
      const head = chain.getHead();
      const justified = chain.getJustifiedCheckpoint();
      const finalized = chain.getFinalizedCheckpoint();
      const view: NodeSlotView = {
        slot,
        headRoot: toHex(head.root),
        headSlot: head.slot,
        justified: {epoch: justified.epoch, root: toHex(justified.root)},
        finalized: {epoch: finalized.epoch, root: toHex(finalized.root)},
      };
      this.views[node].push(view);
      this.trace.at({
        kind: "view",
        node,
        slot,
        head: view.headRoot.slice(0, 18),
        headSlot: view.headSlot,
        justified: `${view.justified.epoch}/${view.justified.root.slice(0, 18)}`,
        finalized: `${view.finalized.epoch}/${view.finalized.root.slice(0, 18)}`,
      });
    });
    if ((slot + 1) % slotsPerEpoch === 0) {
      const epoch = (slot + 1) / slotsPerEpoch - 1;
      if (epoch >= 1) {
        const p = previousEpochTargetParticipation(this.chains[participationNode].getHead().state);
        this.participation.push({epoch: epoch - 1, targetParticipation: p});
      }
    }
  }

  private onBlock(chain: BeaconChain, node: number, rootHex: string): void {
    if (this.blocks.has(rootHex)) return;
    const signed = chain.blocks.get(rootHex);
    if (signed === undefined) return;
    const block = signed.message;
    const post = chain.regen.getBlockState(rootHex);
    const votes = block.body.attestations.map((a) => ({
      slot: a.data.slot,
      index: a.data.index,
      beaconBlockRoot: toHex(a.data.beacon_block_root),
      source: {epoch: a.data.source.epoch, root: toHex(a.data.source.root)},
      target: {epoch: a.data.target.epoch, root: toHex(a.data.target.root)},
      validators: getAttestingIndices(post, a),
    }));
    this.blocks.set(rootHex, {root: rootHex, parentRoot: toHex(block.parent_root), slot: block.slot, proposer: block.proposer_index, votes});
    this.trace.at({kind: "block", node, slot: block.slot, root: rootHex.slice(0, 18), parent: toHex(block.parent_root).slice(0, 18), proposer: block.proposer_index});
  }
}
