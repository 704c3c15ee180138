/**
 * One simulation run: N real beacon nodes (chain, fork choice, state transition, gossip
 * validation, sync, slasher, REST API) and their real validator clients in one process, on one
 * virtual clock and a simulated network, with the scenario's partitions, outages and Byzantine
 * groups. Virtual time moves from timer to timer, and only once everything the last timer set off
 * has settled, so a run takes as long as its computation and is the same on any machine.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {SecretKey} from "@chainsafe/blst";
import type {GossipMessage} from "../chain/gossip/interface.ts";
import type {BeaconChain} from "../chain/index.ts";
import {FakeTime, sleep, systemTime} from "../clock/index.ts";
import {callingThreadVerifier, interopSecretKey} from "../crypto/index.ts";
import {BeaconDb} from "../db/index.ts";
import type {NodeNetwork} from "../network/interface.ts";
import {createInteropGenesisState} from "../node/genesis/interopGenesis.ts";
import {BeaconNode, farFutureForkEpochs} from "../node/index.ts";
import {defaultConfigRaw, SLOTS_PER_EPOCH, useNetwork} from "../params/index.ts";
import {ssz} from "../types/index.ts";
import {GnomonError} from "../util/errors.ts";
import {silentLogger, type Logger} from "../util/logger.ts";
import {startValidatorClient, type ValidatorClient} from "../validator/index.ts";
import {inProcessFetch} from "./inProcessFetch.ts";
import {Observer} from "./observer.ts";
import {SharedVerifier} from "./sharedVerifier.ts";
import {Trace} from "./trace.ts";
import type {AdversaryContext, Behaviour, ByzantineGroup, Observations, Offence, Scenario, SlotPhase, TraceSink} from "./types.ts";

/** Fixed, so a run does not depend on when it is started. */
export const SIM_GENESIS_TIME = 1_600_000_000;

/** The simulated network as a run drives it. */
export interface SimNetworkLike {
  attach(index: number, chain: BeaconChain): NodeNetwork;
  send(from: number, message: GossipMessage, opts?: {to?: number[]; delayMs?: number; direct?: boolean}): void;
  reachable(from: number): number[];
  onlineNodes(): number[];
  setPartition(groups: number[][] | null): void;
  setOnline(index: number, online: boolean): void;
  /** Resolves once nothing is in flight. */
  idle(): Promise<void>;
  /** Fails what is in flight: stopped before the nodes, whose sync would wait for its requests. */
  stop(): Promise<void>;
}

export interface SimulationDeps {
  createNetwork(opts: {time: FakeTime; seed: string; nodeCount: number; latencyMs: number; jitterMs: number; loss: number; trace: TraceSink; logger: Logger}): SimNetworkLike;
  createBehaviour(group: ByzantineGroup, ctx: AdversaryContext): Behaviour;
}

export interface SimulationOptions {
  seed: string;
  /** Node and client logs (default: none). */
  logger?: Logger;
  /** Keep every trace line here (for --trace FILE). */
  traceLines?: string[];
  /** Serve each node's REST API and live view on port+i, and pace the run: a slot takes slotMs/speed of wall time. */
  serve?: {port: number; speed: number};
  /** Called at each epoch's end with the run so far. */
  onEpoch?: (epoch: number, nodes: readonly SimNode[]) => void;
  /** Called once the nodes run (with --serve: their API URLs are known). */
  onStarted?: (nodes: readonly SimNode[]) => void;
  /**
   * "shared" (default): a signature set that verified for one node is not verified again for the
   * next (see sharedVerifier.ts); "per-node": every node verifies everything itself.
   */
  bls?: "shared" | "per-node";
  /** Aborting it ends the run at the next settled instant (SimulationAbortedError); nodes stop and temporary files go. */
  signal?: AbortSignal;
  /** Awaited after the run, before the nodes stop (with --serve: keep serving until the user is done). */
  holdOpen?: () => Promise<void>;
}

export interface SimNode {
  index: number;
  name: string;
  node: BeaconNode;
  client: ValidatorClient | null;
  /** Validator indices its client runs. */
  validators: number[];
}

export interface SimulationResult {
  observations: Observations;
  /** Wall-clock milliseconds the run took (genesis to the last slot; setup excluded). */
  wallMs: number;
  setupMs: number;
  traceEvents: number;
}

/** Validator indices: the nodes' honest ones in node order, then each Byzantine group's. */
export function validatorLayout(scenario: Scenario): {honest: number[][]; byzantine: number[][]; total: number} {
  let next = 0;
  const take = (n: number): number[] => Array.from({length: n}, () => next++);
  const honest = scenario.nodes.map((n) => take(n.validators));
  const byzantine = scenario.byzantine.map((g) => take(g.validators));
  return {honest, byzantine, total: next};
}

/** The chain config overrides a scenario runs with (phase0 only, its slot time and proposer boost). */
export function scenarioConfigOverrides(scenario: Scenario): Record<string, string> {
  return {
    ...farFutureForkEpochs(defaultConfigRaw("minimal")),
    SECONDS_PER_SLOT: String(scenario.secondsPerSlot),
    PROPOSER_SCORE_BOOST: String(scenario.proposerScoreBoost),
  };
}

export async function runSimulation(scenario: Scenario, opts: SimulationOptions, deps: SimulationDeps): Promise<SimulationResult> {
  const setupStart = performance.now();
  const logger = opts.logger ?? silentLogger;
  const configOverrides = scenarioConfigOverrides(scenario);
  const config = useNetwork("minimal", configOverrides);
  const slotMs = config.SLOT_DURATION_MS;
  const slotsPerEpoch = SLOTS_PER_EPOCH;
  const genesisMs = SIM_GENESIS_TIME * 1000;
  const layout = validatorLayout(scenario);
  const nodeIndex = new Map(scenario.nodes.map((n, i) => [n.name, i]));

  const genesis = await createInteropGenesisState({config, validators: layout.total, genesisTime: SIM_GENESIS_TIME});
  const genesisBytes = ssz.BeaconState.serialize(genesis.state.toValue());

  const time = new FakeTime(genesisMs - slotMs);
  const trace = new Trace(() => time.now(), opts.traceLines ?? null);
  trace.at({kind: "run", scenario: scenario.name, seed: opts.seed, nodes: scenario.nodes.length, validators: layout.total});
  const network = deps.createNetwork({
    time,
    seed: opts.seed,
    nodeCount: scenario.nodes.length,
    latencyMs: scenario.network.latencyMs,
    jitterMs: scenario.network.jitterMs,
    loss: scenario.network.loss,
    trace,
    logger: logger.child({module: "simnet"}),
  });

  const verifier = opts.bls === "per-node" ? callingThreadVerifier : new SharedVerifier();
  const dir = mkdtempSync(join(tmpdir(), "gnomon-sim-"));
  const simNodes: SimNode[] = [];
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>): void => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  try {
    for (const [i, spec] of scenario.nodes.entries()) {
      const nodeLogger = logger.child({node: spec.name});
      const node = await BeaconNode.start({
        dataDir: join(dir, `node-${i}`),
        db: BeaconDb.inMemory(`sim-${spec.name}`),
        network: {preset: "minimal", configOverrides},
        defaultPreset: "minimal",
        genesis: {type: "state", state: genesisBytes},
        rest: opts.serve === undefined ? {address: "127.0.0.1", port: 0, listen: false} : {address: "127.0.0.1", port: opts.serve.port + i},
        logger: nodeLogger,
        time,
        statusLine: false,
        blsVerifier: verifier,
        slasher: scenario.slasher ? {historyEpochs: Math.max(64, Math.ceil(scenario.slots / slotsPerEpoch) + 2)} : undefined,
        createNetwork: async (chain) => network.attach(i, chain),
      });
      simNodes.push({index: i, name: spec.name, node, client: null, validators: layout.honest[i]});
    }
    for (const sn of simNodes) {
      if (sn.validators.length === 0) continue;
      sn.client = await startValidatorClient({
        beaconUrl: `http://${sn.name}.sim`,
        fetch: inProcessFetch(sn.node.api!.app),
        interopIndices: sn.validators,
        dataDir: join(dir, `validator-${sn.index}`),
        // Nothing a run's clients sign outlives the run; the protection still refuses within it.
        slashingProtectionInMemory: true,
        logger: logger.child({node: sn.name, module: "validator"}),
        time,
      });
    }

    const offences: Offence[] = [];
    const behaviours: {group: ByzantineGroup; behaviour: Behaviour}[] = scenario.byzantine.map((group, g) => {
      const host = nodeIndex.get(group.node)!;
      const keys = new Map<number, SecretKey>(layout.byzantine[g].map((v) => [v, interopSecretKey(v)]));
      const ctx: AdversaryContext = {
        time,
        slotsPerEpoch,
        secondsPerSlot: scenario.secondsPerSlot,
        genesisTimeMs: genesisMs,
        validators: layout.byzantine[g],
        secretKeys: keys,
        chain: simNodes[host].node.chain,
        nodeIndex: host,
        viewOf: (i) => simNodes[i].node.chain,
        nodeCount: scenario.nodes.length,
        // The group has nodes of its own on every side of a partition: it reaches every online
        // node directly (honest nodes still relay only over the mesh).
        reachableNodes: () => network.onlineNodes(),
        send: (message, o) => network.send(host, message, {...o, direct: true}),
        offence: (o) => {
          offences.push(o);
          trace.at({kind: "offence", group: g, validator: o.validator, offence: o.kind, slot: o.slot});
        },
        trace: (e) => trace.at({...e, group: g}),
      };
      return {group, behaviour: deps.createBehaviour(group, ctx)};
    });

    const observer = new Observer(
      simNodes.map((s) => s.node.chain),
      trace
    );
    const endMs = genesisMs + scenario.slots * slotMs;
    const slotStart = (slot: number): number => genesisMs + slot * slotMs;
    const at = (ms: number, fn: () => void): void => {
      if (ms >= time.now() && ms <= endMs) time.setTimeout(fn, ms - time.now());
    };

    // The world's events: partitions and outages at slot starts.
    for (const p of scenario.partitions) {
      const groups = p.groups.map((names) => names.map((n) => nodeIndex.get(n)!));
      at(slotStart(p.start), () => {
        trace.at({kind: "partition", groups: JSON.stringify(groups)});
        network.setPartition(groups);
      });
      if (p.heal !== null) {
        at(slotStart(p.heal), () => {
          trace.at({kind: "heal"});
          network.setPartition(null);
        });
      }
    }
    for (const o of scenario.offline) {
      const i = nodeIndex.get(o.node)!;
      at(slotStart(o.from), () => {
        trace.at({kind: "offline", node: i});
        network.setOnline(i, false);
      });
      at(slotStart(o.to), () => {
        trace.at({kind: "online", node: i});
        network.setOnline(i, true);
      });
    }
    // Byzantine groups act 1 ms after each duty instant: after the honest duties due then began.
    const {attestationDueMs, aggregateDueMs} = simNodes[0].node.chain.clock;
    const phases: [SlotPhase, number][] = [
      ["start", 1],
      ["attest", attestationDueMs + 1],
      ["aggregate", aggregateDueMs + 1],
    ];
    const scheduleSlot = (slot: number): void => {
      if (slot >= scenario.slots) return;
      for (const {group, behaviour} of behaviours) {
        if (slot < group.from || (group.until !== null && slot >= group.until)) continue;
        for (const [phase, offset] of phases) at(slotStart(slot) + offset, () => track(behaviour.onSlotPhase(slot, phase)));
      }
      // Views are taken at the slot's last millisecond, once everything due in it settled.
      at(slotStart(slot + 1) - 1, () => {
        observer.endOfSlot(slot, slotsPerEpoch, 0);
        if ((slot + 1) % slotsPerEpoch === 0) opts.onEpoch?.((slot + 1) / slotsPerEpoch - 1, simNodes);
        scheduleSlot(slot + 1);
      });
    };
    scheduleSlot(0);
    opts.onStarted?.(simNodes);

    const settle = async (): Promise<void> => {
      if (opts.signal?.aborted) throw new SimulationAbortedError(time.now() < genesisMs ? 0 : Math.floor((time.now() - genesisMs) / slotMs));
      for (let round = 0; round < 3; round++) {
        await Promise.all(simNodes.map((s) => s.client?.settled()));
        await Promise.all(simNodes.map((s) => s.node.chain.processor.drain()));
        await network.idle();
        while (pending.size > 0) await Promise.allSettled([...pending]);
        await Promise.all(simNodes.map((s) => s.node.slasher?.settled()));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    const setupMs = performance.now() - setupStart;
    const wallStart = performance.now();
    if (opts.serve === undefined) {
      await time.runUntil(endMs, settle);
    } else {
      // Paced for a watcher: each slot takes its share of wall time.
      for (let slot = 0; slot < scenario.slots; slot++) {
        const started = performance.now();
        await time.runUntil(Math.min(endMs, slotStart(slot + 1)), settle);
        const wait = slotMs / opts.serve.speed - (performance.now() - started);
        if (wait > 0) await sleep(systemTime, wait);
      }
    }
    const wallMs = performance.now() - wallStart;
    // The run ends at the start of slot `slots`: its tick realized the last epoch's checkpoints.
    observer.endOfSlot(scenario.slots, slotsPerEpoch, 0);

    const honestNodes = simNodes.map((s) => s.index);
    const slashedAtEnd = simNodes.map((s) => {
      const validators = s.node.chain.getHead().state.state.validators;
      const out: number[] = [];
      for (let v = 0; v < validators.length; v++) if (validators.get(v).slashed) out.push(v);
      return out;
    });
    trace.at({kind: "end", slashed: JSON.stringify(slashedAtEnd)});
    const observations: Observations = {
      scenario,
      seed: opts.seed,
      slotsPerEpoch,
      honestNodes,
      views: observer.views,
      blocks: observer.blocks,
      reorgs: observer.reorgs,
      offences,
      slashedAtEnd,
      byzantineValidators: layout.byzantine.flat(),
      participation: observer.participation,
      traceHash: trace.finish(),
      behaviours: behaviours.map(({group, behaviour}) => ({behaviour: group.behaviour, node: group.node, ...behaviour.summary()})),
    };
    await opts.holdOpen?.();
    return {observations, wallMs, setupMs, traceEvents: trace.events};
  } finally {
    await Promise.allSettled([...pending]);
    await network.stop();
    for (const s of simNodes) await s.client?.stop();
    for (const s of simNodes) await s.node.stop();
    rmSync(dir, {recursive: true, force: true});
  }
}

export class SimulationAbortedError extends GnomonError {
  constructor(slot: number) {
    super("SIMULATION_ABORTED", `simulation interrupted at slot ${slot}: nothing kept`);
  }
}
