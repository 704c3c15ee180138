/**
 * A small world for testing one Byzantine group: `nodes` real chains on in-memory storage and
 * one FakeTime, from one interop genesis of 64 validators. Node 0 is the group's node and also
 * runs the honest validators (all but the group's) (through the chain's API methods); their blocks and votes
 * reach the other nodes through those nodes' real gossip validation. The group holds the last validators (16 unless told); what it sends is delivered at its virtual time (send time plus delayMs) to each
 * addressee's `chain.gossip.onGossip`, and every verdict is kept.
 */
import {FakeTime} from "../../../../src/clock/index.ts";
import {interopSecretKey, type SecretKey} from "../../../../src/crypto/index.ts";
import {BeaconDb} from "../../../../src/db/index.ts";
import {openChain, type BeaconChain} from "../../../../src/chain/index.ts";
import type {GossipMessage, GossipVerdict} from "../../../../src/chain/gossip/interface.ts";
import {computeSubnetForAttestation} from "../../../../src/chain/validation/subnet.ts";
import {computeEpochAtSlot} from "../../../../src/state-transition/index.ts";
import type {Attestation, SignedBeaconBlock} from "../../../../src/types/index.ts";
import {createBehaviour} from "../../../../src/sim/adversary/index.ts";
import type {AdversaryContext, Behaviour, BehaviourKind, ByzantineGroup, Offence, SlotPhase, TraceEvent} from "../../../../src/sim/types.ts";
import {GENESIS_TIME, InProcessValidators, interopGenesis} from "../../chain/helpers.ts";

export const VALIDATORS = 64;
/** The group's validators by default: the last 16. */
export const GROUP = groupOf(16);

export function groupOf(size: number): number[] {
  return Array.from({length: size}, (_, i) => VALIDATORS - size + i);
}

export interface Sent {
  message: GossipMessage;
  to: number[];
  sentAt: number;
  slot: number;
  phase: SlotPhase;
  /** The signer of a single-bit attestation (by node 0's committees when it was sent). */
  voter: number | null;
  /** Verdict per addressee, once delivered. */
  verdicts: Map<number, GossipVerdict>;
}

export class World {
  readonly time = new FakeTime(GENESIS_TIME * 1000);
  readonly chains: BeaconChain[] = [];
  readonly sent: Sent[] = [];
  readonly offences: Offence[] = [];
  readonly traces: Omit<TraceEvent, "t">[] = [];
  honest!: InProcessValidators;
  behaviour!: Behaviour;
  ctx!: AdversaryContext;
  private queue: {at: number; node: number; sent: Sent}[] = [];
  private current: {slot: number; phase: SlotPhase} = {slot: 0, phase: "start"};

  static async open(kind: BehaviourKind, opts: {nodes?: number; params?: ByzantineGroup["params"]; groupSize?: number; configOverrides?: Record<string, string>} = {}): Promise<World> {
    const w = new World();
    for (let i = 0; i < (opts.nodes ?? 3); i++) {
      const {chain} = await openChain({
        db: BeaconDb.inMemory(),
        genesisState: () => interopGenesis(VALIDATORS),
        network: {preset: "minimal", configOverrides: opts.configOverrides ?? {}},
        time: w.time,
      });
      chain.start();
      w.chains.push(chain);
    }
    const members = groupOf(opts.groupSize ?? GROUP.length);
    w.honest = new InProcessValidators(w.chains[0], VALIDATORS - members.length);
    const keys = new Map<number, SecretKey>(members.map((i) => [i, interopSecretKey(i)]));
    const group: ByzantineGroup = {behaviour: kind, validators: members.length, node: "n0", from: 1, until: null, params: opts.params ?? {}};
    w.ctx = {
      time: w.time,
      slotsPerEpoch: 8,
      secondsPerSlot: w.chains[0].config.SECONDS_PER_SLOT,
      genesisTimeMs: GENESIS_TIME * 1000,
      validators: members,
      secretKeys: keys,
      chain: w.chains[0],
      nodeIndex: 0,
      viewOf: (i) => w.chains[i],
      nodeCount: w.chains.length,
      reachableNodes: () => w.chains.map((_, i) => i),
      send: (message, sendOpts = {}) => {
        const voter = message.kind === "beacon_attestation" ? voterOf(w.chains[0], message.value) : null;
        const sent: Sent = {message, to: sendOpts.to ?? w.chains.map((_, i) => i), sentAt: w.time.now(), ...w.current, voter, verdicts: new Map()};
        w.sent.push(sent);
        for (const node of sent.to) w.queue.push({at: w.time.now() + (sendOpts.delayMs ?? 0), node, sent});
      },
      offence: (o) => w.offences.push(o),
      trace: (e) => w.traces.push(e),
    };
    w.behaviour = createBehaviour(group, w.ctx);
    return w;
  }

  /** Moves virtual time to `ms`, delivering what falls due on the way, in time order. */
  async advanceTo(ms: number): Promise<void> {
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (next === undefined || next.at > ms) break;
      this.queue.shift();
      await this.moveTo(next.at);
      next.sent.verdicts.set(next.node, await this.chains[next.node].gossip.onGossip(next.sent.message, this.time.now(), "group"));
    }
    await this.moveTo(ms);
  }

  private async moveTo(ms: number): Promise<void> {
    if (ms > this.time.now()) this.time.advance(ms - this.time.now());
    for (const chain of this.chains) await chain.lock.run(async () => undefined);
  }

  /** Honest duties on node 0, forwarded to the others, then the group's phase. */
  async runSlot(slot: number): Promise<void> {
    const chain0 = this.chains[0];
    const slotStart = chain0.clock.slotStartMs(slot);
    const third = Math.floor(chain0.config.SLOT_DURATION_MS / 3);

    await this.advanceTo(slotStart);
    this.current = {slot, phase: "start"};
    const block = await this.honest.propose(slot);
    if (block !== null) await this.toOthers({kind: "beacon_block", value: block});
    await this.behaviour.onSlotPhase(slot, "start");

    await this.advanceTo(slotStart + third);
    this.current = {slot, phase: "attest"};
    const epoch = computeEpochAtSlot(slot);
    const perSlot = chain0.getHead().state.epochCtx.getCommitteeCountPerSlot(epoch);
    for (const attestation of await this.honest.attest(slot)) {
      await this.toOthers({kind: "beacon_attestation", subnet: computeSubnetForAttestation(chain0.config, perSlot, slot, attestation.data.index), value: attestation});
    }
    await this.behaviour.onSlotPhase(slot, "attest");

    await this.advanceTo(slotStart + 2 * third);
    this.current = {slot, phase: "aggregate"};
    await this.honest.aggregate(slot);
    await this.behaviour.onSlotPhase(slot, "aggregate");
  }

  async run(fromSlot: number, toSlot: number): Promise<void> {
    for (let slot = fromSlot; slot <= toSlot; slot++) await this.runSlot(slot);
    await this.advanceTo(this.chains[0].clock.slotStartMs(toSlot + 1));
  }

  private async toOthers(message: GossipMessage): Promise<void> {
    for (const chain of this.chains.slice(1)) await chain.gossip.onGossip(message, this.time.now(), "honest");
  }

  blocksSent(): Sent[] {
    return this.sent.filter((s) => s.message.kind === "beacon_block");
  }

  votesSent(): Sent[] {
    return this.sent.filter((s) => s.message.kind === "beacon_attestation");
  }

  async close(): Promise<void> {
    for (const chain of this.chains) await chain.stop();
  }
}

export function blockOf(s: Sent): SignedBeaconBlock {
  if (s.message.kind !== "beacon_block") throw new Error(`expected a block, got ${s.message.kind}`);
  return s.message.value;
}

export function voteOf(s: Sent): Attestation {
  if (s.message.kind !== "beacon_attestation") throw new Error(`expected an attestation, got ${s.message.kind}`);
  return s.message.value;
}

/** The validator of a single-bit attestation, by the committee node 0 sees for it. */
export function voterOf(chain: BeaconChain, attestation: Attestation): number {
  const committee = chain.getHead().state.epochCtx.getBeaconCommittee(attestation.data.slot, attestation.data.index);
  return committee[attestation.aggregation_bits.getSingleTrueBit()!];
}
