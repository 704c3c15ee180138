/**
 * The node's own score of each peer (separate from gossipsub's): req/resp and sync behaviour,
 * reported as PeerActions, in [-100, 100], decaying towards 0 with a 10-minute half-life so that
 * an old fault is forgiven. Below -20 a peer is disconnected, below -50 (any Fatal action) banned.
 */
import {PeerAction} from "../interface.ts";

export const SCORE_MIN = -100;
export const SCORE_MAX = 100;
export const DISCONNECT_THRESHOLD = -20;
export const BAN_THRESHOLD = -50;
const HALF_LIFE_MS = 10 * 60 * 1000;
/** How long a banned peer stays refused. */
export const BAN_DURATION_MS = 30 * 60 * 1000;

export const ACTION_PENALTY: Record<PeerAction, number> = {
  [PeerAction.Fatal]: -(SCORE_MAX - SCORE_MIN),
  [PeerAction.LowTolerance]: -10,
  [PeerAction.MidTolerance]: -5,
  [PeerAction.HighTolerance]: -1,
};

export type ScoreState = "healthy" | "disconnect" | "ban";

export class PeerScore {
  private value = 0;
  private updatedMs: number;

  constructor(nowMs: number) {
    this.updatedMs = nowMs;
  }

  score(nowMs: number): number {
    const elapsed = nowMs - this.updatedMs;
    if (elapsed > 0) {
      this.value *= 0.5 ** (elapsed / HALF_LIFE_MS);
      if (Math.abs(this.value) < 1e-3) this.value = 0;
      this.updatedMs = nowMs;
    }
    return this.value;
  }

  apply(action: PeerAction, nowMs: number): number {
    const v = this.score(nowMs) + ACTION_PENALTY[action];
    this.value = Math.max(SCORE_MIN, Math.min(SCORE_MAX, v));
    return this.value;
  }

  state(nowMs: number): ScoreState {
    const s = this.score(nowMs);
    if (s <= BAN_THRESHOLD) return "ban";
    if (s <= DISCONNECT_THRESHOLD) return "disconnect";
    return "healthy";
  }
}
