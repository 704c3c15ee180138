/**
 * Hand-made Observations for the verdict and report tests: a scenario in code, block trees
 * built slot by slot, and node views whose finalized checkpoint changes at given slots.
 */
import type {BlockObservation, NodeSlotView, Observations, Scenario, VoteObservation} from "../../../src/sim/types.ts";

export const SPE = 8;
export const GENESIS = root("genesis");

/** A 0x-prefixed 32-byte hex root derived from a label (readable in failures). */
export function root(label: string): string {
  return "0x" + Buffer.from(label.padEnd(32, ".")).toString("hex").slice(0, 64);
}

export function scenario(over: Partial<Scenario> = {}): Scenario {
  return {
    name: "hand-made",
    description: "",
    source: "src/sim/scenarios/hand-made.yaml",
    slots: 80,
    secondsPerSlot: 6,
    proposerScoreBoost: 40,
    slasher: true,
    nodes: [
      {name: "a", validators: 4},
      {name: "b", validators: 4},
      {name: "c", validators: 4},
      {name: "d", validators: 4},
    ],
    network: {latencyMs: 200, jitterMs: 100, loss: 0},
    partitions: [],
    offline: [],
    byzantine: [],
    expect: {},
    ...over,
  };
}

export class Tree {
  readonly blocks = new Map<string, BlockObservation>();

  /** Blocks `${tag}${slot}` for each slot in [from, to] except `skip`, each on the previous; returns the last root. */
  chain(tag: string, parent: string, from: number, to: number, skip: number[] = []): string {
    let p = parent;
    for (let slot = from; slot <= to; slot++) {
      if (skip.includes(slot)) continue;
      const r = root(`${tag}${slot}`);
      this.blocks.set(r, {root: r, parentRoot: p, slot, proposer: slot % 16, votes: []});
      p = r;
    }
    return p;
  }

  vote(blockRoot: string, v: {source: [number, string]; target: [number, string]; validators: number[]}): void {
    const b = this.blocks.get(blockRoot);
    if (b === undefined) throw new Error(`no block ${blockRoot}`);
    const vote: VoteObservation = {
      slot: v.target[0] * SPE,
      index: 0,
      beaconBlockRoot: v.target[1],
      source: {epoch: v.source[0], root: v.source[1]},
      target: {epoch: v.target[0], root: v.target[1]},
      validators: v.validators,
    };
    b.votes.push(vote);
  }
}

/**
 * Views of one node for slots 1..slots: `finality` lists [fromSlot, epoch, root] in order (the
 * finalized checkpoint from that slot on); before the first, genesis.
 */
export function views(slots: number, finality: [number, number, string][]): NodeSlotView[] {
  const out: NodeSlotView[] = [];
  for (let slot = 1; slot <= slots; slot++) {
    let finalized = {epoch: 0, root: GENESIS};
    for (const [from, epoch, r] of finality) if (slot >= from) finalized = {epoch, root: r};
    out.push({slot, headRoot: GENESIS, headSlot: 0, justified: finalized, finalized});
  }
  return out;
}

export function observations(over: Partial<Observations> & {scenario: Scenario}): Observations {
  const nodes = over.scenario.nodes.length;
  return {
    seed: "7",
    slotsPerEpoch: SPE,
    honestNodes: Array.from({length: nodes}, (_, i) => i),
    views: Array.from({length: nodes}, () => views(over.scenario.slots, [])),
    blocks: new Map(),
    reorgs: [],
    offences: [],
    slashedAtEnd: Array.from({length: nodes}, () => []),
    byzantineValidators: [],
    participation: [],
    traceHash: "ab".repeat(32),
    ...over,
  };
}
