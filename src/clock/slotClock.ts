/**
 * The slot clock: maps wall time to slots and epochs from genesis time and the slot duration,
 * and fires the points of a slot at which duties happen (validator.md / fork-choice.md):
 * the slot start (propose, fork-choice tick), ATTESTATION_DUE_BPS (attest) and
 * AGGREGATE_DUE_BPS (aggregate). Timers are re-armed from wall time at every event, so they do
 * not drift, and a late timer (a busy event loop, a suspended laptop) fires every missed slot's
 * start in order rather than skipping it.
 */
import {EventEmitter} from "node:events";
import {BASIS_POINTS} from "../params/index.ts";
import {systemTime, type TimeSource} from "./timeSource.ts";

export interface SlotClockOptions {
  genesisTime: number;
  slotDurationMs: number;
  slotsPerEpoch: number;
  attestationDueBps: number;
  aggregateDueBps: number;
  time?: TimeSource;
}

export type SlotPoint = "slot" | "attestation" | "aggregate";

export interface SlotClockEvents {
  /** A new slot began (fired once per slot, in order). */
  slot: [slot: number];
  /** A new epoch began (fired right after the slot event of its first slot). */
  epoch: [epoch: number];
  /** ATTESTATION_DUE_BPS into the slot. */
  attestation: [slot: number];
  /** AGGREGATE_DUE_BPS into the slot. */
  aggregate: [slot: number];
}

export class SlotClock extends EventEmitter<SlotClockEvents> {
  readonly genesisTime: number;
  readonly slotDurationMs: number;
  readonly slotsPerEpoch: number;
  /** Milliseconds into a slot the attestation and aggregate duties fall due. */
  readonly attestationDueMs: number;
  readonly aggregateDueMs: number;
  /** The time source the clock runs on: whatever else waits (retries, timeouts) uses it too. */
  readonly time: TimeSource;
  private timer: unknown = null;
  /** The last (slot, point) fired; events fire strictly after it. */
  private lastSlot = -1;
  private lastPointIndex = 2;
  private running = false;

  constructor(opts: SlotClockOptions) {
    super();
    this.genesisTime = opts.genesisTime;
    this.slotDurationMs = opts.slotDurationMs;
    this.slotsPerEpoch = opts.slotsPerEpoch;
    // get_slot_component_duration_ms: basis points of the slot, floored.
    this.attestationDueMs = Math.floor((opts.attestationDueBps * opts.slotDurationMs) / BASIS_POINTS);
    this.aggregateDueMs = Math.floor((opts.aggregateDueBps * opts.slotDurationMs) / BASIS_POINTS);
    this.time = opts.time ?? systemTime;
  }

  nowMs(): number {
    return this.time.now();
  }

  /** Seconds since the Unix epoch, as fork choice's on_tick takes it (Store.time). */
  nowSeconds(): number {
    return Math.floor(this.time.now() / 1000);
  }

  /** The current slot; 0 before genesis (use isBeforeGenesis to tell). */
  get currentSlot(): number {
    return Math.max(0, this.slotAtMs(this.time.now()));
  }

  get currentEpoch(): number {
    return Math.floor(this.currentSlot / this.slotsPerEpoch);
  }

  isBeforeGenesis(): boolean {
    return this.time.now() < this.genesisTime * 1000;
  }

  /** The slot at a wall time; negative before genesis. */
  slotAtMs(ms: number): number {
    return Math.floor((ms - this.genesisTime * 1000) / this.slotDurationMs);
  }

  slotStartMs(slot: number): number {
    return this.genesisTime * 1000 + slot * this.slotDurationMs;
  }

  msIntoSlot(): number {
    return this.time.now() - this.slotStartMs(this.slotAtMs(this.time.now()));
  }

  /** Milliseconds into `slot` of each duty point, in firing order. */
  private pointOffsets(): [SlotPoint, number][] {
    return [
      ["slot", 0],
      ["attestation", this.attestationDueMs],
      ["aggregate", this.aggregateDueMs],
    ];
  }

  /**
   * Starts firing events. Events for the current slot whose time has already passed are not
   * replayed, except the slot start: a node started mid-slot still ticks fork choice for it.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const now = this.time.now();
    const slot = this.slotAtMs(now);
    if (slot >= 0) {
      // Resume from the point just before "now": the current slot's start fires immediately.
      this.lastSlot = slot - 1;
      this.lastPointIndex = 2;
    } else {
      this.lastSlot = -1;
      this.lastPointIndex = 2;
    }
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.time.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves at the start of `slot` (immediately if it has begun). */
  waitForSlot(slot: number, signal?: AbortSignal): Promise<void> {
    const ms = this.slotStartMs(slot) - this.time.now();
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const h = this.time.setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        this.time.clearTimeout(h);
        reject(signal?.reason ?? new Error("aborted"));
      };
      signal?.addEventListener("abort", onAbort, {once: true});
    });
  }

  private next(): {slot: number; index: number; atMs: number} {
    const offsets = this.pointOffsets();
    let slot = this.lastSlot;
    let index = this.lastPointIndex + 1;
    if (index >= offsets.length) {
      slot += 1;
      index = 0;
    }
    return {slot, index, atMs: this.slotStartMs(slot) + offsets[index][1]};
  }

  private arm(): void {
    if (!this.running) return;
    const {atMs} = this.next();
    const delay = Math.max(0, atMs - this.time.now());
    this.timer = this.time.setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = null;
    const now = this.time.now();
    const offsets = this.pointOffsets();
    // Fire every point that is due. Missed slot starts are all fired (fork choice and the chain
    // must see each slot); missed attestation/aggregate points of past slots are dropped, since
    // duties for a slot that is over would be useless or harmful.
    for (;;) {
      const n = this.next();
      if (n.atMs > now || !this.running) break;
      this.lastSlot = n.slot;
      this.lastPointIndex = n.index;
      const point = offsets[n.index][0];
      const currentSlot = this.slotAtMs(now);
      if (point !== "slot" && n.slot < currentSlot) continue;
      this.emitPoint(point, n.slot);
    }
    this.arm();
  }

  private emitPoint(point: SlotPoint, slot: number): void {
    if (point === "slot") {
      this.emit("slot", slot);
      if (slot % this.slotsPerEpoch === 0) this.emit("epoch", slot / this.slotsPerEpoch);
    } else if (point === "attestation") {
      this.emit("attestation", slot);
    } else {
      this.emit("aggregate", slot);
    }
  }
}
