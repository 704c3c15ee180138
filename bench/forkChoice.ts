/**
 * `gnomon bench fork-choice`: on_attestation throughput and get_head latency on a synthetic
 * block tree with forks and N validators attesting across it (mainnet preset shapes: 32 slots,
 * committees of the size N validators give).
 *
 * Attestations go through what on_attestation does once the committee is known and the
 * signature checked (those belong to the state transition and BLS, benchmarked elsewhere):
 * roots to hex, validate_on_attestation (epoch, slot, known blocks, LMD/FFG consistency walk),
 * update_latest_messages over the attesting indices.
 */
import type {Command, ParsedOptions} from "../src/cli/command.ts";
import {intOption} from "../src/cli/command.ts";
import {ForkChoice, type CheckpointHex, type JustifiedBalances} from "../src/fork-choice/forkChoice.ts";
import {EFFECTIVE_BALANCE_INCREMENT, MAX_COMMITTEES_PER_SLOT, SLOTS_PER_EPOCH, TARGET_COMMITTEE_SIZE, isPresetName, useNetwork} from "../src/params/index.ts";
import {computeStartSlotAtEpoch} from "../src/state-transition/index.ts";
import {fromHex, toHex} from "../src/util/bytes.ts";
import {InputError} from "../src/util/errors.ts";
import {bench, median, report, resultOf, type BenchResult} from "./harness.ts";
import {mulberry32} from "../src/util/seededRandom.ts";

interface SyntheticAttestation {
  slot: number;
  beaconBlockRoot: Uint8Array;
  targetEpoch: number;
  targetRoot: Uint8Array;
  indices: Uint32Array;
}

/** A distinct root per block number. */
function blockRoot(n: number): string {
  return "0x" + "fc".repeat(24) + n.toString(16).padStart(16, "0");
}

/**
 * Grows a main chain one block per slot; a tenth of the slots also get a one-block fork off the
 * main block two slots back, and a fortieth of them a second block on that fork.
 */
class TreeBuilder {
  readonly fc: ForkChoice;
  private readonly rand: () => number;
  private next = 1;
  private mainTip: string;
  private slot = 0;
  private readonly genesis: CheckpointHex;
  /** Blocks by slot (main first), for attestations to vote for. */
  readonly bySlot = new Map<number, string[]>();
  blocks = 1;

  constructor(fc: ForkChoice, anchorRoot: string, rand: () => number) {
    this.fc = fc;
    this.genesis = {epoch: 0, root: anchorRoot};
    this.mainTip = anchorRoot;
    this.rand = rand;
    this.bySlot.set(0, [anchorRoot]);
  }

  get lastSlot(): number {
    return this.slot;
  }

  addSlot(): void {
    const slot = ++this.slot;
    const epoch = Math.floor(slot / SLOTS_PER_EPOCH);
    // The clock follows the chain (a node importing blocks as they come), 4 s into the slot.
    const time = Math.floor((slot * this.fc.config.SLOT_DURATION_MS) / 1000) + 4;
    if (time > this.fc.time) this.fc.onTick(time);
    const add = (parent: string): string => {
      const root = blockRoot(this.next++);
      // Each block justifies the previous epoch's checkpoint of its chain; nothing finalizes.
      const justified: CheckpointHex =
        epoch === 0 ? this.genesis : {epoch: epoch - 1, root: this.fc.getCheckpointBlock(parent, epoch - 1) as string};
      this.fc.onBlock({
        slot,
        blockRoot: root,
        parentRoot: parent,
        stateRoot: root,
        proposerIndex: slot % 1000,
        justified,
        finalized: this.genesis,
        unrealizedJustified: justified,
        unrealizedFinalized: this.genesis,
      });
      this.blocks++;
      return root;
    };
    const roots = [add(this.mainTip)];
    if (slot >= 2 && this.rand() < 0.1) {
      const forkParent = this.bySlot.get(slot - 2)?.[0] ?? this.mainTip;
      const fork = add(forkParent);
      roots.push(fork);
    } else if (slot >= 3 && this.rand() < 0.025) {
      const prev = this.bySlot.get(slot - 1) ?? [];
      if (prev.length > 1) roots.push(add(prev[1]));
    }
    this.mainTip = roots[0];
    this.bySlot.set(slot, roots);
  }
}

export const forkChoiceBench: Command = {
  name: "fork-choice",
  summary: "Time on_attestation throughput and get_head latency on a synthetic block tree",
  usage: "fork-choice --validators <n> --blocks <b> [options]",
  options: {
    validators: {type: "string", valueName: "n", description: "Validators attesting (required)"},
    blocks: {type: "string", valueName: "b", description: "Blocks in the tree before the timed epochs (required)"},
    runs: {type: "string", valueName: "r", description: "Timed epochs of attestations", default: "8"},
    preset: {type: "string", valueName: "name", description: "Preset (mainnet | minimal)", default: "mainnet"},
    seed: {type: "string", valueName: "s", description: "Seed of the synthetic tree and votes", default: "1"},
    json: {type: "boolean", description: "Print one JSON line with the results last"},
  },
  details: [
    "Protocol:",
    "  setup (not timed): a tree of b blocks (one per slot on a main chain, ~12% extra fork",
    "  blocks); each block justifies the previous epoch, nothing finalizes, so every block stays",
    "  in the tree (no pruning: the large tree of a long non-finality period).",
    "  each run (one epoch): the next epoch's blocks are added (not timed); the clock moves to the",
    "  epoch's end; every validator attests once, in its committee's attestation, for its slot's",
    "  block (a fifth of committees vote for a fork block). Timed: all n votes through",
    "  validate_on_attestation + update_latest_messages (=> votes/s); get_head after each slot's",
    "  committees (n/32 changed votes, one delta pass over the tree) (=> get_head latency);",
    "  get_head with nothing changed; get_head after the epoch's first block moves the justified",
    "  checkpoint (new balances: every vote re-weighted, once per epoch).",
    "Example: gnomon bench fork-choice --validators 262144 --blocks 8192 --json",
  ].join("\n"),
  async run(opts: ParsedOptions): Promise<number> {
    const n = intOption(opts, "validators", 1, 2 ** 24);
    if (n === undefined) throw new InputError("missing required option --validators");
    const nBlocks = intOption(opts, "blocks", 1, 2 ** 22);
    if (nBlocks === undefined) throw new InputError("missing required option --blocks");
    const runs = intOption(opts, "runs", 1, 1000) ?? 8;
    const seed = intOption(opts, "seed", 0, 2 ** 32 - 1) ?? 1;
    const presetName = String(opts.preset);
    if (!isPresetName(presetName)) throw new InputError(`--preset must be mainnet or minimal, got "${presetName}"`);
    const config = useNetwork(presetName);
    const rand = mulberry32(seed);

    const increments = Math.floor(32_000_000_000 / EFFECTIVE_BALANCE_INCREMENT);
    const baseBalances = new Uint16Array(n).fill(increments);
    const totalActiveBalance = BigInt(n) * BigInt(increments) * BigInt(EFFECTIVE_BALANCE_INCREMENT);
    // Each justified checkpoint has its own state, hence its own balances array.
    const justifiedBalances = (): JustifiedBalances => ({balances: baseBalances.slice(), totalActiveBalance});
    const anchorRoot = blockRoot(0);
    const fc = new ForkChoice({
      config,
      genesisTime: 0,
      time: 0,
      anchorEpoch: 0,
      anchor: {slot: 0, blockRoot: anchorRoot, parentRoot: "0x" + "00".repeat(32), stateRoot: anchorRoot, proposerIndex: 0},
      getJustifiedBalances: justifiedBalances,
    });
    const tree = new TreeBuilder(fc, anchorRoot, rand);
    const setupStart = performance.now();
    while (tree.blocks < nBlocks) tree.addSlot();
    // Complete the epoch so that the timed epochs start on a boundary.
    while ((tree.lastSlot + 1) % SLOTS_PER_EPOCH !== 0) tree.addSlot();
    const setupMs = performance.now() - setupStart;
    const initialBlocks = tree.blocks;

    // Committees: a fixed random permutation cut into SLOTS_PER_EPOCH * committeesPerSlot parts.
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    const committeesPerSlot = Math.max(1, Math.min(MAX_COMMITTEES_PER_SLOT, Math.floor(n / SLOTS_PER_EPOCH / TARGET_COMMITTEE_SIZE)));
    const committeeCount = committeesPerSlot * SLOTS_PER_EPOCH;

    /**
     * Adds an epoch of blocks, moves the clock past it, and builds its attestations. The epoch's
     * first block brings a new justified checkpoint: the get_head after it re-weighs every vote
     * (timed into `rebalanceMs` when given).
     */
    const prepareEpoch = (rebalanceMs?: number[]): SyntheticAttestation[][] => {
      const first = tree.lastSlot + 1;
      const epoch = Math.floor(first / SLOTS_PER_EPOCH);
      tree.addSlot();
      const t = performance.now();
      fc.getHead();
      rebalanceMs?.push(performance.now() - t);
      for (let k = 1; k < SLOTS_PER_EPOCH; k++) tree.addSlot();
      fc.onTick(Math.floor(((tree.lastSlot + 1) * config.SLOT_DURATION_MS) / 1000));
      const bySlot: SyntheticAttestation[][] = [];
      for (let k = 0; k < SLOTS_PER_EPOCH; k++) {
        const slot = first + k;
        const roots = tree.bySlot.get(slot) as string[];
        const atts: SyntheticAttestation[] = [];
        for (let c = 0; c < committeesPerSlot; c++) {
          const index = k * committeesPerSlot + c;
          const start = Math.floor((n * index) / committeeCount);
          const end = Math.floor((n * (index + 1)) / committeeCount);
          const head = roots.length > 1 && rand() < 0.2 ? roots[1] : roots[0];
          const target = fc.getCheckpointBlock(head, epoch) as string;
          atts.push({
            slot,
            beaconBlockRoot: fromHex(head),
            targetEpoch: epoch,
            targetRoot: fromHex(target),
            indices: perm.slice(start, end),
          });
        }
        bySlot.push(atts);
      }
      return bySlot;
    };

    const onAttestation = (a: SyntheticAttestation): void => {
      const beaconBlockRoot = toHex(a.beaconBlockRoot);
      fc.validateOnAttestation(
        {slot: a.slot, beaconBlockRoot, targetEpoch: a.targetEpoch, targetRoot: toHex(a.targetRoot)},
        false
      );
      fc.updateLatestMessages(a.indices, a.targetEpoch, beaconBlockRoot);
    };

    // Warm-up epoch: compiles the hot paths and gives every validator a first vote.
    for (const atts of prepareEpoch()) {
      for (const a of atts) onAttestation(a);
      fc.getHead();
    }

    const voteRates: number[] = [];
    const attestMs: number[] = [];
    const slotHeadMs: number[] = [];
    const epochHeadMs: number[] = [];
    const unchangedHeadMs: number[] = [];
    const rebalanceHeadMs: number[] = [];
    let votes = 0;
    for (let r = 0; r < runs; r++) {
      const epochAtts = prepareEpoch(rebalanceHeadMs);
      fc.getHead(); // the new blocks' own pass, not a vote cost
      // Per slot: that slot's committees, then the head (what a node does every slot).
      let epochAttestMs = 0;
      for (const atts of epochAtts) {
        let t = performance.now();
        for (const a of atts) onAttestation(a);
        epochAttestMs += performance.now() - t;
        t = performance.now();
        fc.getHead();
        slotHeadMs.push(performance.now() - t);
        const t2 = performance.now();
        fc.getHead();
        unchangedHeadMs.push(performance.now() - t2);
      }
      attestMs.push(epochAttestMs);
      voteRates.push((n / epochAttestMs) * 1000);
      votes += n;

      // A whole epoch of votes applied at once (a node that was busy for an epoch).
      const next = prepareEpoch();
      fc.getHead();
      for (const atts of next) for (const a of atts) onAttestation(a);
      const t = performance.now();
      fc.getHead();
      epochHeadMs.push(performance.now() - t);
    }

    const results: BenchResult[] = [
      resultOf(`on_attestation, one epoch (${n} votes, ${committeeCount} attestations)`, attestMs, {
        "votes/s (median)": Math.round(median(voteRates)),
        "per attestation (us)": (median(attestMs) * 1000) / committeeCount,
      }),
      resultOf(`get_head after one slot of votes (${Math.round(n / SLOTS_PER_EPOCH)} changed)`, slotHeadMs),
      resultOf(`get_head after one epoch of votes (${n} changed)`, epochHeadMs),
      resultOf("get_head, nothing changed", unchangedHeadMs),
      resultOf("get_head after a new justified checkpoint (all votes re-weighted)", rebalanceHeadMs),
    ];
    const treeSize = fc.protoArray.length;
    const head = fc.getHead();
    report(`bench fork-choice: ${n} validators, ${initialBlocks} blocks (+${tree.blocks - initialBlocks} during runs) (${presetName})`, results, opts.json === true, {
      validators: n,
      blocks: initialBlocks,
      treeSize,
      headSlot: head.slot,
      lastSlot: tree.lastSlot,
      votes,
      preset: presetName,
      setupMs: Math.round(setupMs),
      votesPerSecond: Math.round(median(voteRates)),
      getHeadMedianMs: median(slotHeadMs),
    });
    return 0;
  },
};
