/**
 * fork-choice.md's get_head, get_weight and filter_block_tree transcribed literally (recursion,
 * loops over every validator), run over a ForkChoice snapshot. The unit tests check the
 * proto-array against it on random stores.
 */
import {EFFECTIVE_BALANCE_INCREMENT, SLOTS_PER_EPOCH, type ChainConfig} from "../../../src/params/index.ts";
import type {ForkChoiceSnapshot, JustifiedBalances} from "../../../src/fork-choice/forkChoice.ts";
import type {ProtoBlock, RootHex} from "../../../src/fork-choice/protoArray/interface.ts";

export interface SpecView {
  head: RootHex;
  leaves: Map<RootHex, bigint>;
  /** get_weight of every block in the store. */
  weights: Map<RootHex, bigint>;
}

export function specGetHead(config: Pick<ChainConfig, "SLOT_DURATION_MS" | "PROPOSER_SCORE_BOOST">, s: ForkChoiceSnapshot, jb: JustifiedBalances): SpecView {
  const blocks = new Map<RootHex, ProtoBlock>(s.blocks.map((b) => [b.blockRoot, b]));
  const epochOf = (slot: number): number => Math.floor(slot / SLOTS_PER_EPOCH);
  const currentEpoch = epochOf(Math.floor(((s.time - s.genesisTime) * 1000) / config.SLOT_DURATION_MS));
  const equivocating = new Set(s.equivocatingIndices);

  const getAncestor = (root: RootHex, slot: number): RootHex | null => {
    const b = blocks.get(root);
    if (b === undefined) return null;
    if (b.slot > slot) return getAncestor(b.parentRoot, slot);
    return root;
  };
  const isAncestor = (root: RootHex, ancestor: RootHex): boolean =>
    getAncestor(root, (blocks.get(ancestor) as ProtoBlock).slot) === ancestor;

  const proposerScore =
    ((jb.totalActiveBalance / BigInt(SLOTS_PER_EPOCH)) * BigInt(config.PROPOSER_SCORE_BOOST)) / 100n;
  const getWeight = (root: RootHex): bigint => {
    let score = 0n;
    for (const [v, , msgRoot] of s.latestMessages) {
      if (msgRoot === null || equivocating.has(v)) continue;
      if (isAncestor(msgRoot, root)) score += BigInt(jb.balances[v] ?? 0) * BigInt(EFFECTIVE_BALANCE_INCREMENT);
    }
    if (s.proposerBoostRoot === null) return score;
    return isAncestor(s.proposerBoostRoot, root) ? score + proposerScore : score;
  };

  const filtered = new Map<RootHex, ProtoBlock>();
  const filter = (root: RootHex): boolean => {
    const block = blocks.get(root) as ProtoBlock;
    const children = s.blocks.filter((b) => b.parentRoot === root).map((b) => b.blockRoot);
    if (children.length > 0) {
      const results = children.map(filter);
      if (results.some((r) => r)) {
        filtered.set(root, block);
        return true;
      }
      return false;
    }
    const votingSource =
      currentEpoch > epochOf(block.slot) ? block.unrealizedJustifiedEpoch : block.justifiedEpoch;
    const correctJustified =
      s.justifiedCheckpoint.epoch === 0 ||
      votingSource === s.justifiedCheckpoint.epoch ||
      votingSource + 2 >= currentEpoch;
    const correctFinalized =
      s.finalizedCheckpoint.epoch === 0 ||
      getAncestor(root, s.finalizedCheckpoint.epoch * SLOTS_PER_EPOCH) === s.finalizedCheckpoint.root;
    if (correctJustified && correctFinalized) {
      filtered.set(root, block);
      return true;
    }
    return false;
  };
  filter(s.justifiedCheckpoint.root);

  let head = s.justifiedCheckpoint.root;
  for (;;) {
    const children = [...filtered.values()].filter((b) => b.parentRoot === head).map((b) => b.blockRoot);
    if (children.length === 0) break;
    let best = children[0];
    let bestWeight = getWeight(best);
    for (const c of children.slice(1)) {
      const w = getWeight(c);
      if (w > bestWeight || (w === bestWeight && c > best)) {
        best = c;
        bestWeight = w;
      }
    }
    head = best;
  }

  const leaves = new Map<RootHex, bigint>();
  for (const root of filtered.keys()) {
    if (![...filtered.values()].some((b) => b.parentRoot === root)) leaves.set(root, getWeight(root));
  }
  const weights = new Map<RootHex, bigint>(s.blocks.map((b) => [b.blockRoot, getWeight(b.blockRoot)]));
  return {head, leaves, weights};
}
