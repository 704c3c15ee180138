/**
 * Per-peer rate limits for inbound requests: a token bucket per (peer, method), where block
 * requests cost one token per block asked for. The quotas allow an honest syncing peer a full
 * MAX_REQUEST_BLOCKS batch at once and a steady stream after, and stop a peer that floods.
 */
import type {Method} from "./protocols.ts";

export interface Quota {
  /** Tokens the bucket holds when full. */
  capacity: number;
  /** Milliseconds to refill a full bucket. */
  refillMs: number;
}

export const DEFAULT_QUOTAS: Record<Method, Quota> = {
  status: {capacity: 5, refillMs: 15_000},
  goodbye: {capacity: 1, refillMs: 10_000},
  ping: {capacity: 2, refillMs: 10_000},
  metadata: {capacity: 2, refillMs: 5_000},
  beacon_blocks_by_range: {capacity: 2048, refillMs: 10_000},
  beacon_blocks_by_root: {capacity: 256, refillMs: 10_000},
};

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly quotas: Record<Method, Quota>;
  private readonly now: () => number;

  constructor(quotas: Record<Method, Quota> = DEFAULT_QUOTAS, now: () => number = Date.now) {
    this.quotas = quotas;
    this.now = now;
  }

  /** Takes `cost` tokens if the peer has them; false means the request is over its quota. */
  allow(peerId: string, method: Method, cost = 1): boolean {
    const quota = this.quotas[method];
    const key = `${peerId}/${method}`;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? {tokens: quota.capacity, updatedMs: now};
    bucket.tokens = Math.min(quota.capacity, bucket.tokens + ((now - bucket.updatedMs) * quota.capacity) / quota.refillMs);
    bucket.updatedMs = now;
    this.buckets.set(key, bucket);
    if (cost > bucket.tokens) return false;
    bucket.tokens -= cost;
    return true;
  }

  /**
   * Forgets the buckets that have refilled: a missing bucket counts as full, so nothing changes for
   * their peers, and the map stays as small as the set of peers recently over part of a quota. (A
   * disconnect alone does not forget a peer: reconnecting would reset its quota.)
   */
  pruneRefilled(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      const quota = this.quotas[key.slice(key.lastIndexOf("/") + 1) as Method];
      if (bucket.tokens + ((now - bucket.updatedMs) * quota.capacity) / quota.refillMs >= quota.capacity) this.buckets.delete(key);
    }
  }

  /** Buckets held (peers not yet refilled, per method). */
  get size(): number {
    return this.buckets.size;
  }
}
