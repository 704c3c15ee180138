/**
 * `gnomon bench slasher`: the slasher's throughput, per-slot batch time and database size on
 * synthetic votes of N validators over E epochs (mainnet shapes: 32 slots, committees of up to
 * 64 per slot), with planted offences that must all be found and nothing else.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {performance} from "node:perf_hooks";
import type {Command, ParsedOptions} from "../src/cli/command.ts";
import {intOption} from "../src/cli/command.ts";
import {MAX_COMMITTEES_PER_SLOT, SLOTS_PER_EPOCH, TARGET_COMMITTEE_SIZE, useNetwork} from "../src/params/index.ts";
import {DEFAULT_HISTORY_EPOCHS, LevelSlasherStore, MAX_HISTORY_EPOCHS, Slasher, type BatchResult} from "../src/slasher/index.ts";
import type {IndexedAttestation, SignedBeaconBlockHeader} from "../src/types/index.ts";
import {directorySize} from "../src/util/directorySize.ts";
import {InputError} from "../src/util/errors.ts";
import {mulberry32} from "../src/util/seededRandom.ts";
import {report, resultOf, type BenchResult} from "./harness.ts";

const root = (a: number, b: number): Uint8Array => {
  const r = new Uint8Array(32);
  new DataView(r.buffer).setUint32(0, a);
  new DataView(r.buffer).setUint32(4, b);
  return r;
};
const SIGNATURE = new Uint8Array(96).fill(0xaa);

function vote(indices: number[], slot: number, committee: number, source: number, target: number, blockTag: number): IndexedAttestation {
  return {
    attesting_indices: indices,
    data: {
      slot,
      index: committee,
      beacon_block_root: root(slot, blockTag),
      source: {epoch: source, root: root(source, 0xee)},
      target: {epoch: target, root: root(target, 0xef)},
    },
    signature: SIGNATURE,
  };
}

function header(slot: number, proposer: number, tag: number): SignedBeaconBlockHeader {
  return {message: {slot, proposer_index: proposer, parent_root: root(slot, 1), state_root: root(slot, tag), body_root: root(slot, 3)}, signature: SIGNATURE};
}

type Plant = {validator: number; kind: string};

export const slasherBench: Command = {
  name: "slasher",
  summary: "Slasher throughput, per-slot batch time and database bytes per validator per epoch",
  usage: "slasher --validators <n> --epochs <e> [options]",
  options: {
    validators: {type: "string", valueName: "n", description: "Validators voting once per epoch (required)"},
    epochs: {type: "string", valueName: "e", description: "Epochs of votes (required)"},
    history: {type: "string", valueName: "epochs", description: "The slasher's --slasher-history", default: String(DEFAULT_HISTORY_EPOCHS)},
    duplicates: {type: "string", valueName: "k", description: "Extra copies of every committee's vote (as blocks and aggregates repeat them)", default: "0"},
    seed: {type: "string", valueName: "s", description: "Seed of the committees and the planted offences", default: "1"},
    dir: {type: "string", valueName: "dir", description: "Where the database goes (default: a temp dir, removed after)"},
    json: {type: "boolean", description: "Print one JSON line with the results last"},
  },
  details: [
    "Protocol (mainnet preset):",
    "  every epoch, every validator votes once (source e-1, target e) in its committee's aggregate",
    "  (a fresh random shuffle per epoch); each slot's committees plus one block header are fed to",
    "  the slasher and one batch runs (as the node does once per slot), then the next slot.",
    "  Planted from epoch 4 on, 8 per epoch: double votes, surround votes (a validator votes",
    "  (e-3, e) instead of (e-1, e)), surrounded votes (a validator skips two epochs, votes (e-3, e),",
    "  then a late (e-2, e-1) arrives) and double proposals. All must be found and nothing else.",
    "Timed: feeding (queueing, with the queue's writes) and every batch, including the checkpoints",
    "  (one per epoch) that write the arrays to level. votes/s = validator-votes / (feed + batch time).",
    "Database: bytes of the level directory after the last checkpoint and a full compaction, per",
    "  validator per epoch of votes. Growth with attestations: compare --duplicates 0 and 1.",
    "Example: gnomon bench slasher --validators 262144 --epochs 64 --json",
  ].join("\n"),
  async run(opts: ParsedOptions): Promise<number> {
    const n = intOption(opts, "validators", 64, 2 ** 24);
    if (n === undefined) throw new InputError("missing required option --validators");
    const epochs = intOption(opts, "epochs", 8, 65_000);
    if (epochs === undefined) throw new InputError("missing required option --epochs");
    const history = intOption(opts, "history", 2, MAX_HISTORY_EPOCHS) ?? DEFAULT_HISTORY_EPOCHS;
    const duplicates = intOption(opts, "duplicates", 0, 8) ?? 0;
    const seed = intOption(opts, "seed", 0, 2 ** 32 - 1) ?? 1;
    useNetwork("mainnet");
    const rand = mulberry32(seed);
    const ownDir = typeof opts.dir !== "string";
    const dir = ownDir ? mkdtempSync(join(tmpdir(), "gnomon-bench-slasher-")) : String(opts.dir);
    const store = await LevelSlasherStore.open(dir);
    const slasher = await Slasher.open(store, {historyEpochs: history});

    const committeesPerSlot = Math.max(1, Math.min(MAX_COMMITTEES_PER_SLOT, Math.floor(n / SLOTS_PER_EPOCH / TARGET_COMMITTEE_SIZE)));
    const order = Uint32Array.from({length: n}, (_, i) => i);
    const planted: Plant[] = [];
    const found = new Map<string, string>();
    const unexpected: string[] = [];
    const batchMs: number[] = [];
    const checkpointMs: number[] = [];
    let feedMs = 0;
    let votes = 0;
    let slashings = 0;
    /** Validators skipping epochs (for the surrounded plant): validator -> epochs it skips. */
    const skip = new Map<number, Set<number>>();
    const late: {epoch: number; att: IndexedAttestation; validator: number}[] = [];
    const pick = (): number => Math.floor(rand() * n);
    const used = new Set<number>();
    const fresh = (): number => {
      for (;;) {
        const v = pick();
        if (!used.has(v)) {
          used.add(v);
          return v;
        }
      }
    };

    const onResult = (r: BatchResult): void => {
      for (const d of r.detections) {
        const k = `${d.validator}`;
        if (!planted.some((p) => p.validator === d.validator)) unexpected.push(`${d.kind} of validator ${d.validator}`);
        else if (!found.has(k)) found.set(k, d.kind);
      }
      slashings += r.attesterSlashings.length + r.proposerSlashings.length;
    };

    const t0 = performance.now();
    for (let epoch = 1; epoch <= epochs; epoch++) {
      // A Fisher-Yates shuffle of all validators: consecutive runs of it are the committees.
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      const surround = new Set<number>();
      const doubles: number[] = [];
      if (epoch >= 4) {
        for (let i = 0; i < 2; i++) {
          const v = fresh();
          surround.add(v);
          planted.push({validator: v, kind: "surrounds_existing"});
        }
        for (let i = 0; i < 2; i++) {
          const v = fresh();
          doubles.push(v);
          planted.push({validator: v, kind: "attester_double_vote"});
        }
        for (let i = 0; i < 2; i++) {
          // Skips epochs e and e+1, votes (e-1, e+2) at e+2; (e, e+1) arrives late at e+3.
          const v = fresh();
          skip.set(v, new Set([epoch, epoch + 1]));
          late.push({epoch: epoch + 3, att: vote([v], (epoch + 1) * SLOTS_PER_EPOCH, 0, epoch, epoch + 1, 7), validator: v});
          planted.push({validator: v, kind: "surrounded_by_existing"});
        }
      }
      const perSlot = n / SLOTS_PER_EPOCH;
      for (let s = 0; s < SLOTS_PER_EPOCH; s++) {
        const slot = epoch * SLOTS_PER_EPOCH + s;
        const from = Math.floor(s * perSlot);
        const to = Math.floor((s + 1) * perSlot);
        const per = (to - from) / committeesPerSlot;
        const fStart = performance.now();
        for (let c = 0; c < committeesPerSlot; c++) {
          const members = Array.from(order.subarray(from + Math.floor(c * per), from + Math.floor((c + 1) * per)));
          const honest: number[] = [];
          for (const v of members) {
            const skipped = skip.get(v);
            if (skipped?.has(epoch)) continue;
            if (skipped?.has(epoch - 2)) {
              slasher.onAttestation(vote([v], slot, c, epoch - 3, epoch, 5));
              votes++;
              continue;
            }
            if (surround.has(v)) {
              slasher.onAttestation(vote([v], slot, c, epoch - 3, epoch, 6));
              votes++;
              continue;
            }
            honest.push(v);
          }
          honest.sort((a, b) => a - b);
          if (honest.length === 0) continue;
          const att = vote(honest, slot, c, epoch - 1, epoch, 1);
          for (let k = 0; k <= duplicates; k++) slasher.onAttestation(att);
          votes += honest.length * (duplicates + 1);
          for (const v of doubles) {
            if (members.includes(v)) {
              slasher.onAttestation(vote([v], slot, c, epoch - 1, epoch, 2));
              votes++;
            }
          }
        }
        for (const l of late) {
          if (l.epoch === epoch && s === 0) {
            slasher.onAttestation(l.att);
            votes++;
          }
        }
        const proposer = pick();
        slasher.onBlockHeader(header(slot, proposer, 1));
        if (epoch >= 4 && s % 8 === 0 && !used.has(proposer)) {
          used.add(proposer);
          slasher.onBlockHeader(header(slot, proposer, 2));
          planted.push({validator: proposer, kind: "proposer_double_vote"});
        }
        feedMs += performance.now() - fStart;
        const r = await slasher.processBatch(epoch);
        (r.checkpointed ? checkpointMs : batchMs).push(r.ms);
        onResult(r);
      }
      if (!(opts.json === true) && (epoch % 8 === 0 || epoch === epochs)) {
        process.stderr.write(`epoch ${epoch}/${epochs}: ${((performance.now() - t0) / 1000).toFixed(0)} s, found ${found.size}/${planted.length}\n`);
      }
    }
    const missed = planted.filter((p) => !found.has(`${p.validator}`));
    // The last planted surrounded votes arrive after the last epoch: not counted as missed.
    const pendingLate = late.filter((l) => l.epoch > epochs).map((l) => l.validator);
    const realMissed = missed.filter((p) => !pendingLate.includes(p.validator));

    await slasher.close();
    const rawBytes = directorySize(dir);
    const compactStore = await LevelSlasherStore.open(dir);
    await compactStore.compact(new Uint8Array([0]), new Uint8Array([0xff]));
    await compactStore.close();
    const bytes = directorySize(dir);
    if (ownDir) rmSync(dir, {recursive: true, force: true});

    const allBatches = [...batchMs, ...checkpointMs];
    const totalBatchMs = allBatches.reduce((a, b) => a + b, 0);
    const votesPerSecond = votes / ((totalBatchMs + feedMs) / 1000);
    const results: BenchResult[] = [resultOf("batch per slot", batchMs), resultOf("batch per slot with checkpoint", checkpointMs)];
    const summary = {
      validators: n,
      epochs,
      history,
      duplicates,
      validatorVotes: votes,
      validatorVotesPerSecond: Math.round(votesPerSecond),
      feedMsPerSlot: Math.round((feedMs / allBatches.length) * 10) / 10,
      dbBytes: bytes,
      dbBytesBeforeCompaction: rawBytes,
      dbBytesPerValidatorEpoch: Math.round((bytes / (n * epochs)) * 100) / 100,
      planted: planted.length - pendingLate.length,
      found: planted.length - pendingLate.length - realMissed.length,
      missed: realMissed.length,
      falsePositives: unexpected.length,
      slashings,
    };
    report(`slasher: ${n} validators, ${epochs} epochs`, results, opts.json === true, summary);
    if (opts.json !== true) {
      for (const [k, v] of Object.entries(summary)) console.log(`  ${k}: ${v}`);
    }
    for (const m of realMissed.slice(0, 10)) console.error(`MISSED ${m.kind} of validator ${m.validator}`);
    for (const u of unexpected.slice(0, 10)) console.error(`UNEXPECTED ${u}`);
    return realMissed.length === 0 && unexpected.length === 0 ? 0 : 1;
  },
};
