/**
 * The shapes the simulator's parts share: the scenario a run follows, what a run observes, the
 * verdicts drawn from it, and the contracts of the simulated network and the Byzantine
 * behaviours. Times inside a run are virtual milliseconds of one FakeTime.
 */
import type {GossipMessage} from "../chain/gossip/interface.ts";
import type {BeaconChain} from "../chain/index.ts";
import type {TimeSource} from "../clock/index.ts";
import type {SecretKey} from "@chainsafe/blst";

// ---------------------------------------------------------------- scenario

/** A point in a run, as a scenario writes it: "epoch 3" or "slot 17" (parsed to a slot). */
export type SlotTime = number;

export interface ScenarioNode {
  /** Unique within the scenario; partitions and behaviours name nodes by it. */
  name: string;
  /** Honest validators run by this node's validator client (32 ETH each, interop keys). */
  validators: number;
}

export interface Partition {
  /** Slot the partition starts (its first slot without cross-group delivery). */
  start: SlotTime;
  /** Slot the links come back (GST for liveness); null: never healed within the run. */
  heal: SlotTime | null;
  /** Node names per side; a node in no group is cut off from everyone. */
  groups: string[][];
}

export interface OfflinePeriod {
  node: string;
  from: SlotTime;
  to: SlotTime;
}

export const BehaviourKind = {
  EquivocatingProposer: "equivocating_proposer",
  DoubleVoter: "double_voter",
  SurroundVoter: "surround_voter",
  WithholdingProposer: "withholding_proposer",
  ExAnteReorg: "ex_ante_reorg",
  Balancing: "balancing",
} as const;
export type BehaviourKind = (typeof BehaviourKind)[keyof typeof BehaviourKind];

/**
 * Validator indices: the nodes' honest validators first, in node order, then each Byzantine
 * group's, in group order (so a scenario's validator counts fix every index).
 */
export interface ByzantineGroup {
  behaviour: BehaviourKind;
  /** Validators this group controls (its keys are in no honest validator client). */
  validators: number;
  /** The node whose chain the group reads and through whose links it sends (a Byzantine node). */
  node: string;
  /** Active from/until (slots, inclusive start, exclusive end; until null: to the end). */
  from: SlotTime;
  until: SlotTime | null;
  /** Behaviour-specific settings (documented per behaviour), already checked to be scalars. */
  params: Record<string, number | string | boolean>;
}

export interface Scenario {
  name: string;
  description: string;
  /** The file it was read from (the report's replay command names it); absent for a scenario built in code. */
  source?: string;
  /** Length of the run in slots (from genesis). */
  slots: number;
  secondsPerSlot: number;
  /** PROPOSER_SCORE_BOOST (percent of a committee's weight); 0 is "proposer boost off". */
  proposerScoreBoost: number;
  /** Run a slasher on every honest node and include what it finds. */
  slasher: boolean;
  nodes: ScenarioNode[];
  network: {latencyMs: number; jitterMs: number; loss: number};
  partitions: Partition[];
  offline: OfflinePeriod[];
  byzantine: ByzantineGroup[];
  /** What the scenario claims; the exit status says whether the run bore it out. */
  expect: Expectations;
}

export interface Expectations {
  /** true: no conflicting finalization; false: the run must find one (a safety-attack scenario). */
  safety?: boolean;
  /** Finality back within this many epochs of GST (last heal, or genesis without partitions). */
  finalityWithinEpochsOfGst?: number;
  /** Every validator that signed slashable messages is slashed on chain by the end (slasher on). */
  offendersSlashed?: boolean;
  maxReorgs?: number;
  minReorgs?: number;
  /** Bounds on the blocks of honest proposers that no honest node's final chain contains (what a reorg attack aims at). */
  maxOrphanedHonestBlocks?: number;
  minOrphanedHonestBlocks?: number;
  /** Lowest acceptable participation (0..1) over epochs outside partitions and offline periods. */
  minParticipation?: number;
  /** The finalized epoch at the end of the run, at least (optimal finality: slots/SLOTS_PER_EPOCH - 2). */
  minFinalizedEpoch?: number;
}

// ---------------------------------------------------------------- trace

/**
 * One line of the event trace. A trace is byte-identical for the same scenario and seed: events
 * are written in a canonical order (virtual time, then kind, then node, then the rest), never in
 * the order asynchronous work happened to finish.
 */
export interface TraceEvent {
  t: number;
  kind: string;
  node?: number;
  [field: string]: string | number | boolean | null | undefined;
}

export interface TraceSink {
  record(event: TraceEvent): void;
}

// ---------------------------------------------------------------- observations

/** A node's view at the end of a slot (after everything due in the slot settled). */
export interface NodeSlotView {
  slot: number;
  headRoot: string;
  headSlot: number;
  justified: {epoch: number; root: string};
  finalized: {epoch: number; root: string};
}

export interface ReorgObservation {
  node: number;
  slot: number;
  depth: number;
  oldHead: string;
  newHead: string;
}

/** An attestation included in a block, with its attesting indices. */
export interface VoteObservation {
  slot: number;
  index: number;
  beaconBlockRoot: string;
  source: {epoch: number; root: string};
  target: {epoch: number; root: string};
  validators: number[];
}

export interface BlockObservation {
  root: string;
  parentRoot: string;
  slot: number;
  proposer: number;
  /** The block's attestations (accountable safety traces conflicting votes through them). */
  votes: VoteObservation[];
}

/** Slashable messages a Byzantine group signed (what accountability checks against). */
export interface Offence {
  validator: number;
  kind: "double_proposal" | "double_vote" | "surround_vote";
  slot: number;
}

export interface Observations {
  scenario: Scenario;
  seed: string;
  slotsPerEpoch: number;
  /** Node indices (into scenario.nodes) that are honest: every node runs honest validators; a Byzantine group only borrows a node's view. */
  honestNodes: number[];
  /** views[node][i]: node's view at the end of slot i+1 (slot 0 is genesis). */
  views: NodeSlotView[][];
  /** Every block any node imported, by root. */
  blocks: Map<string, BlockObservation>;
  reorgs: ReorgObservation[];
  offences: Offence[];
  /** Validators slashed in each honest node's head state at the end. */
  slashedAtEnd: number[][];
  /** Byzantine validator indices (all groups). */
  byzantineValidators: number[];
  /** Per epoch, the previous-epoch target participation (0..1) in the first honest node's head state, by epoch. */
  participation: {epoch: number; targetParticipation: number | null}[];
  /** sha256 of the canonical event trace (hex). */
  traceHash: string;
  /** Each Byzantine group's Behaviour.summary() at the end, in group order (the report prints them). */
  behaviours?: {behaviour: BehaviourKind; node: string; text: string; details: Record<string, unknown>}[];
}

// ---------------------------------------------------------------- verdicts

export interface Verdict {
  name: "safety" | "liveness" | "accountability" | "reorgs" | "participation" | "finality";
  /** Whether the run bore out the scenario's expectation (a verdict without expectation passes). */
  pass: boolean;
  /** One line a researcher reads: what was measured against what was expected. */
  summary: string;
  details: Record<string, unknown>;
}

// ---------------------------------------------------------------- simulated network

/** What the simulated network asks of a node to deliver to it and serve requests from it. */
export interface SimNodeHandle {
  index: number;
  chain: BeaconChain;
}

// ---------------------------------------------------------------- Byzantine behaviours

/** What a Byzantine group can do: read its node's chain, sign with its keys, send as it likes. */
export interface AdversaryContext {
  readonly time: TimeSource;
  readonly slotsPerEpoch: number;
  readonly secondsPerSlot: number;
  readonly genesisTimeMs: number;
  /** The group's validator indices and their secret keys. */
  readonly validators: readonly number[];
  readonly secretKeys: ReadonlyMap<number, SecretKey>;
  /** The chain of the node the group lives on (a real chain: its fork choice is the group's view). */
  readonly chain: BeaconChain;
  readonly nodeIndex: number;
  /** The chain of any node (the group's own nodes on that side see what it sees). */
  viewOf(node: number): BeaconChain;
  /** Number of nodes in the run; `to` lists name them by index. */
  readonly nodeCount: number;
  /**
   * Every online node: a group has nodes of its own on every side of a partition (the attacker
   * of the safety and balancing analyses controls its own delivery).
   */
  reachableNodes(): number[];
  /**
   * Sends a message from the group's node over its own channels: to the listed nodes (default:
   * every online node), each after the link's latency plus `delayMs`, across partitions. The
   * group's own node receives it too unless left out of `to`. Honest nodes relay what they
   * accept over the mesh, as gossipsub does (partitions apply to that).
   */
  send(message: GossipMessage, opts?: {to?: number[]; delayMs?: number}): void;
  /** Records a slashable message the group signed (accountability checks every one is punished). */
  offence(o: Offence): void;
  trace(event: Omit<TraceEvent, "t">): void;
}

/** The instants a behaviour may act at, in every slot it is active. */
export type SlotPhase = "start" | "attest" | "aggregate";

export interface Behaviour {
  readonly kind: BehaviourKind;
  /** Called at each phase of each active slot, after the honest duties due at that instant were started. */
  onSlotPhase(slot: number, phase: SlotPhase): Promise<void>;
  /** A line for the report: what the behaviour did (e.g. "4 ex-ante reorg attempts, 3 succeeded"). */
  summary(): {text: string; details: Record<string, unknown>};
}
