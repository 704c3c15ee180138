/**
 * Accountable safety (Casper FFG), judged from what a run observed: which finalized checkpoints
 * of honest views conflict, and which validators provably broke an FFG rule to make that
 * possible. Two checkpoints conflict when neither is on the other's chain: the same epoch with
 * different roots, or the later one's chain has another block at the earlier one's epoch
 * boundary. The theorem says that then at least a third of the stake signed votes that are
 * slashable (a double vote: two votes for the same target epoch; a surround vote: one vote's
 * source-target span strictly inside another's); the votes that justified each side are in the
 * blocks of its chain, so they are found in `blocks[*].votes` of the two branches.
 */
import type {BlockObservation, Observations} from "./types.ts";

export interface Checkpoint {
  epoch: number;
  root: string;
}

/** A checkpoint some honest node finalized: which nodes did, and the first slot one did. */
export interface FinalizedCheckpoint extends Checkpoint {
  nodes: number[];
  firstSlot: number;
}

export interface Conflict {
  a: FinalizedCheckpoint;
  b: FinalizedCheckpoint;
  reason: "same epoch, different roots" | "not on each other's chain";
}

export interface FfgVote {
  source: Checkpoint;
  target: Checkpoint;
  /** The first block (by slot, then root) that included it, and that block's slot. */
  block: string;
  blockSlot: number;
}

export interface SlashableEvidence {
  validator: number;
  kind: "double_vote" | "surround_vote";
  votes: [FfgVote, FfgVote];
}

/** Distinct finalized checkpoints over every honest node's views, by epoch then root. */
export function finalizedCheckpoints(obs: Observations): FinalizedCheckpoint[] {
  const byKey = new Map<string, FinalizedCheckpoint>();
  for (const node of obs.honestNodes) {
    for (const view of obs.views[node] ?? []) {
      const {epoch, root} = view.finalized;
      const key = `${epoch}:${root}`;
      let cp = byKey.get(key);
      if (cp === undefined) {
        cp = {epoch, root, nodes: [], firstSlot: view.slot};
        byKey.set(key, cp);
      }
      if (!cp.nodes.includes(node)) cp.nodes.push(node);
      cp.firstSlot = Math.min(cp.firstSlot, view.slot);
    }
  }
  for (const cp of byKey.values()) cp.nodes.sort((x, y) => x - y);
  return [...byKey.values()].sort((x, y) => x.epoch - y.epoch || (x.root < y.root ? -1 : x.root > y.root ? 1 : 0));
}

/**
 * The root of the checkpoint at `epoch` on the chain of `root`: its latest ancestor (or itself)
 * at or before the epoch's first slot. `known: false` when the walk left the observed blocks
 * (the genesis block, or a block no node imported) before reaching that slot.
 */
export function checkpointRootOnChain(blocks: Map<string, BlockObservation>, root: string, epoch: number, slotsPerEpoch: number): {root: string; known: boolean} {
  const boundary = epoch * slotsPerEpoch;
  let r = root;
  for (;;) {
    const b = blocks.get(r);
    if (b === undefined) return {root: r, known: false};
    if (b.slot <= boundary) return {root: r, known: true};
    r = b.parentRoot;
  }
}

/** consistent: one is on the other's chain; conflict: provably not; unknown: the blocks to decide are missing. */
export function checkpointRelation(
  blocks: Map<string, BlockObservation>,
  x: Checkpoint,
  y: Checkpoint,
  slotsPerEpoch: number
): "consistent" | "conflict" | "unknown" {
  const [early, late] = x.epoch <= y.epoch ? [x, y] : [y, x];
  // Every chain starts at genesis: an epoch-0 checkpoint is on all of them.
  if (early.epoch === 0) return "consistent";
  if (early.epoch === late.epoch) return early.root === late.root ? "consistent" : "conflict";
  const onChain = checkpointRootOnChain(blocks, late.root, early.epoch, slotsPerEpoch);
  if (onChain.root === early.root) return "consistent";
  return onChain.known ? "conflict" : "unknown";
}

/** Every conflicting pair of finalized checkpoints, the earliest first; `unknown` pairs apart. */
export function findConflicts(obs: Observations, checkpoints = finalizedCheckpoints(obs)): {conflicts: Conflict[]; unknown: [Checkpoint, Checkpoint][]} {
  const conflicts: Conflict[] = [];
  const unknown: [Checkpoint, Checkpoint][] = [];
  for (let j = 0; j < checkpoints.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = checkpoints[i];
      const b = checkpoints[j];
      const rel = checkpointRelation(obs.blocks, a, b, obs.slotsPerEpoch);
      if (rel === "conflict") conflicts.push({a, b, reason: a.epoch === b.epoch ? "same epoch, different roots" : "not on each other's chain"});
      else if (rel === "unknown") unknown.push([{epoch: a.epoch, root: a.root}, {epoch: b.epoch, root: b.root}]);
    }
  }
  conflicts.sort((p, q) => p.b.epoch - q.b.epoch || p.a.epoch - q.a.epoch);
  return {conflicts, unknown};
}

/** The blocks of the chains through `root`: its ancestors, itself, and all its descendants. */
export function branchOf(blocks: Map<string, BlockObservation>, children: Map<string, string[]>, root: string): Set<string> {
  const out = new Set<string>();
  for (let r: string | undefined = root; r !== undefined && blocks.has(r) && !out.has(r); r = blocks.get(r)?.parentRoot) out.add(r);
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if (out.has(r)) continue;
    out.add(r);
    stack.push(...(children.get(r) ?? []));
  }
  return out;
}

export function childrenIndex(blocks: Map<string, BlockObservation>): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const b of blocks.values()) {
    const list = children.get(b.parentRoot);
    if (list === undefined) children.set(b.parentRoot, [b.root]);
    else list.push(b.root);
  }
  return children;
}

function voteKey(v: {source: Checkpoint; target: Checkpoint}): string {
  return `${v.source.epoch}:${v.source.root}:${v.target.epoch}:${v.target.root}`;
}

/** A pair of one validator's votes that Casper FFG forbids, or null. */
export function ffgViolation(v1: FfgVote, v2: FfgVote): "double_vote" | "surround_vote" | null {
  if (voteKey(v1) === voteKey(v2)) return null;
  if (v1.target.epoch === v2.target.epoch) return "double_vote";
  const surrounds = (x: FfgVote, y: FfgVote): boolean => x.source.epoch < y.source.epoch && y.target.epoch < x.target.epoch;
  return surrounds(v1, v2) || surrounds(v2, v1) ? "surround_vote" : null;
}

/**
 * The validators whose votes included in the given blocks contain an FFG violation, each with
 * one pair of votes as evidence (the earliest by target, then source).
 */
export function slashableValidators(blocks: Map<string, BlockObservation>, roots: Iterable<string>): SlashableEvidence[] {
  const ordered = [...roots]
    .map((r) => blocks.get(r))
    .filter((b): b is BlockObservation => b !== undefined)
    .sort((x, y) => x.slot - y.slot || (x.root < y.root ? -1 : x.root > y.root ? 1 : 0));
  const votesOf = new Map<number, Map<string, FfgVote>>();
  for (const b of ordered) {
    for (const v of b.votes) {
      const key = voteKey(v);
      for (const validator of v.validators) {
        let mine = votesOf.get(validator);
        if (mine === undefined) votesOf.set(validator, (mine = new Map()));
        if (!mine.has(key)) mine.set(key, {source: {...v.source}, target: {...v.target}, block: b.root, blockSlot: b.slot});
      }
    }
  }
  const out: SlashableEvidence[] = [];
  for (const validator of [...votesOf.keys()].sort((x, y) => x - y)) {
    const votes = [...votesOf.get(validator)!.values()].sort(
      (x, y) => x.target.epoch - y.target.epoch || x.source.epoch - y.source.epoch || voteKey(x).localeCompare(voteKey(y))
    );
    found: for (let j = 1; j < votes.length; j++) {
      for (let i = 0; i < j; i++) {
        const kind = ffgViolation(votes[i], votes[j]);
        if (kind !== null) {
          out.push({validator, kind, votes: [votes[i], votes[j]]});
          break found;
        }
      }
    }
  }
  return out;
}

/** The slashable validators behind one conflict: the votes on the chains through either checkpoint. */
export function accountableFor(obs: Observations, conflict: Conflict, children = childrenIndex(obs.blocks)): SlashableEvidence[] {
  const roots = branchOf(obs.blocks, children, conflict.a.root);
  for (const r of branchOf(obs.blocks, children, conflict.b.root)) roots.add(r);
  return slashableValidators(obs.blocks, roots);
}
