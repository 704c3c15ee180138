/**
 * `gnomon bench gossip`: gossip attestations validated per second end to end (snappy-compressed
 * SSZ bytes in, verdict out, through the chain's GossipSink, the processor's batch queue and the
 * BLS worker pool), beside the raw blst batch-verification rate of the same signatures measured
 * in the same run.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {createRequire} from "node:module";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {performance} from "node:perf_hooks";
import {BitArray} from "@chainsafe/ssz";
import {BeaconChain} from "../src/chain/chain.ts";
import {GossipAction} from "../src/chain/gossip/interface.ts";
import {openChain} from "../src/chain/open.ts";
import {readAnchor} from "../src/chain/persist.ts";
import {computeSubnetForAttestation} from "../src/chain/validation/subnet.ts";
import {FakeTime} from "../src/clock/index.ts";
import type {Command, ParsedOptions} from "../src/cli/command.ts";
import {intOption} from "../src/cli/command.ts";
import {BlsWorkerPool, interopSecretKey, sign, verifySignatureSets, type SignatureSet} from "../src/crypto/index.ts";
import {BeaconDb} from "../src/db/index.ts";
import {createInteropGenesisState} from "../src/node/genesis/interopGenesis.ts";
import {DOMAIN_BEACON_ATTESTER, SLOTS_PER_EPOCH, useNetwork} from "../src/params/index.ts";
import {computeSigningRoot, getDomain} from "../src/state-transition/index.ts";
import {ssz, type AttestationData} from "../src/types/index.ts";
import {InputError} from "../src/util/errors.ts";
import {median, report, resultOf} from "./harness.ts";

// snappyjs ships no type declarations: its block format is gossip's message compression.
const snappy = createRequire(import.meta.url)("snappyjs") as {compress(b: Uint8Array): Uint8Array; uncompress(b: Uint8Array): Uint8Array};

interface Message {
  bytes: Uint8Array;
  subnet: number;
}

export const gossipBench: Command = {
  name: "gossip",
  summary: "Gossip attestations validated per second end to end, beside the raw blst batch-verification rate",
  usage: "gossip [--validators <n>] [options]",
  options: {
    validators: {type: "string", valueName: "n", description: "Validators; each sends one attestation per run", default: "2048"},
    runs: {type: "string", valueName: "r", description: "Timed runs (a fresh chain each, so no attestation is seen before)", default: "5"},
    batch: {type: "string", valueName: "b", description: "Attestations per signature batch (the gossip sink's batch size)", default: "64"},
    "in-flight": {type: "string", valueName: "k", description: "Batches validated at once (the gossip sink's default: 2)"},
    workers: {type: "string", valueName: "w", description: "BLS worker threads (default: the node's, min(4, cores))"},
    json: {type: "boolean", description: "Print one JSON line with the results last"},
  },
  details: [
    "Protocol:",
    "  setup (not timed): minimal preset, an interop genesis of n validators on a temporary database;",
    "  one unaggregated attestation per validator for its epoch-0 committee, voting for the genesis",
    "  block, signed, SSZ-serialized and snappy-compressed (block format) with its subnet; the clock",
    "  set to slot 8, within every attestation's propagation range.",
    "  each run: a fresh BeaconChain on the anchor (empty seen caches), then, timed: every message",
    "  snappy-decompressed, SSZ-decoded and handed to chain.gossip.onGossip (the node's GossipSink:",
    "  bounded queue, batches of b, all gossip conditions, signatures batched on the BLS worker pool,",
    "  import into the pool and fork choice), until every verdict is in; every verdict must be ACCEPT.",
    "  raw (same run, timed per run): the same n signature sets verified with blst's multi-verification",
    "  in batches of b on the calling thread (no decoding, no validation).",
    "Prints median ms per run and attestations/s for both, and their ratio (target >= 0.8).",
    "Example: gnomon bench gossip --validators 4096 --json",
  ].join("\n"),
  async run(opts: ParsedOptions): Promise<number> {
    const n = intOption(opts, "validators", 64, 2 ** 20) ?? 2048;
    const runs = intOption(opts, "runs", 1, 1000) ?? 5;
    const batch = intOption(opts, "batch", 1, 4096) ?? 64;
    const workers = intOption(opts, "workers", 1, 64);
    const inFlight = intOption(opts, "in-flight", 1, 64);
    if (n % SLOTS_PER_EPOCH !== 0 && n < SLOTS_PER_EPOCH) throw new InputError("--validators is too small");
    const config = useNetwork("minimal");

    const setupStart = performance.now();
    const genesisTime = 1_700_000_000;
    const dir = mkdtempSync(join(tmpdir(), "gnomon-bench-gossip-"));
    const pool = new BlsWorkerPool({workers});
    const db = await BeaconDb.open(dir);
    try {
      process.stderr.write(`building an interop genesis of ${n} validators...\n`);
      const genesis = await createInteropGenesisState({config, validators: n, genesisTime});
      const time = new FakeTime(genesisTime * 1000 + SLOTS_PER_EPOCH * config.SLOT_DURATION_MS + 100);
      const {chain: first} = await openChain({db, genesisState: () => genesis.state, network: {preset: "minimal", configOverrides: {}}, time});
      await first.stop();
      const anchor = await readAnchor(db);
      if (anchor === null) throw new Error("the genesis was not stored");

      process.stderr.write(`signing ${n} attestations...\n`);
      const s = first.getHead().state;
      const genesisRoot = first.getHead().root;
      const domain = getDomain(s.state, DOMAIN_BEACON_ATTESTER, 0);
      const messages: Message[] = [];
      const sets: SignatureSet[] = [];
      for (let slot = 0; slot < SLOTS_PER_EPOCH; slot++) {
        const perSlot = s.epochCtx.getCommitteeCountPerSlot(0);
        for (let index = 0; index < perSlot; index++) {
          const data: AttestationData = {
            slot,
            index,
            beacon_block_root: genesisRoot,
            source: s.state.current_justified_checkpoint.toValue(),
            target: {epoch: 0, root: genesisRoot},
          };
          const signingRoot = computeSigningRoot(ssz.AttestationData, data, domain);
          const committee = s.epochCtx.getBeaconCommittee(slot, index);
          committee.forEach((validatorIndex, position) => {
            const signature = sign(interopSecretKey(validatorIndex), signingRoot);
            const attestation = {aggregation_bits: BitArray.fromSingleBit(committee.length, position), data, signature};
            messages.push({bytes: snappy.compress(ssz.Attestation.serialize(attestation)), subnet: computeSubnetForAttestation(config, perSlot, slot, index)});
            sets.push({type: "single", pubkey: s.epochCtx.index2pubkey(validatorIndex), signingRoot, signature});
          });
        }
      }
      const setupMs = performance.now() - setupStart;

      const e2eMs: number[] = [];
      const rawMs: number[] = [];
      for (let run = -1; run < runs; run++) {
        const chain = new BeaconChain({config, db, anchor, time, blsVerifier: pool, gossip: {attestationBatchSize: batch, maxBatchesInFlight: inFlight}});
        const start = performance.now();
        const verdicts = await Promise.all(
          messages.map((m) => chain.gossip.onGossip({kind: "beacon_attestation", subnet: m.subnet, value: ssz.Attestation.deserialize(snappy.uncompress(m.bytes))}, time.now()))
        );
        const ms = performance.now() - start;
        await chain.stop();
        const refused = verdicts.filter((v) => v.action !== GossipAction.ACCEPT);
        if (refused.length > 0) throw new Error(`${refused.length} attestations were not accepted, e.g. ${refused[0].action} ${refused[0].reason}`);

        const rawStart = performance.now();
        for (let i = 0; i < sets.length; i += batch) {
          if (!verifySignatureSets(sets.slice(i, i + batch))) throw new Error("a raw batch did not verify");
        }
        const raw = performance.now() - rawStart;
        // Run -1 warms up the JIT, the pool's workers and the public-key caches.
        if (run >= 0) {
          e2eMs.push(ms);
          rawMs.push(raw);
        }
      }
      const count = messages.length;
      const rate = (ms: number): number => Math.round((count * 1000) / ms);
      const e2eRate = rate(median(e2eMs));
      const rawRate = rate(median(rawMs));
      report(
        `bench gossip: ${count} attestations, batches of ${batch}, ${pool.workerCount} BLS workers (minimal)`,
        [
          resultOf("end to end: snappy + SSZ decode + gossip validation + import", e2eMs, {"attestations/s (median)": e2eRate}),
          resultOf("raw blst batch verification, calling thread", rawMs, {"attestations/s (median)": rawRate}),
        ],
        opts.json === true,
        {validators: n, attestations: count, batch, workers: pool.workerCount, setupMs: Math.round(setupMs), e2ePerSecond: e2eRate, rawPerSecond: rawRate, ratio: Number((e2eRate / rawRate).toFixed(3))}
      );
      console.log(`  end to end / raw: ${(e2eRate / rawRate).toFixed(2)} (target >= 0.80)`);
      return 0;
    } finally {
      await pool.close();
      await db.close();
      rmSync(dir, {recursive: true, force: true});
    }
  },
};
