/**
 * Which links of the simulated network are up: a link joins two started, online nodes on the
 * same side of the partition, unless that one link is cut (partitions that are not transitive:
 * A hears B and B hears C, but A does not hear C). Every time a link goes down its generation grows, so a message
 * or request sent over it before the cut is known to be lost when it would have arrived.
 */
import {SimNetworkError, SimNetworkErrorCode} from "./errors.ts";

export type CutReason = "partition" | "offline";

export interface LinkChange {
  /** a < b */
  a: number;
  b: number;
  up: boolean;
  /** Why a link went down (null when it came up). */
  reason: CutReason | null;
}

export class Links {
  readonly nodeCount: number;
  private readonly attached: boolean[];
  private readonly online: boolean[];
  /** Side of the partition per node (-1: on no side); null: no partition. */
  private side: number[] | null = null;
  private readonly cut: Uint8Array;
  private readonly up: Uint8Array;
  private readonly generations: Uint32Array;
  private readonly lastCut: CutReason[];
  private peers: number[][];

  constructor(nodeCount: number) {
    this.nodeCount = nodeCount;
    this.attached = new Array<boolean>(nodeCount).fill(false);
    this.online = new Array<boolean>(nodeCount).fill(true);
    this.up = new Uint8Array(nodeCount * nodeCount);
    this.cut = new Uint8Array(nodeCount * nodeCount);
    this.generations = new Uint32Array(nodeCount * nodeCount);
    this.lastCut = new Array<CutReason>(nodeCount * nodeCount).fill("offline");
    this.peers = Array.from({length: nodeCount}, () => []);
  }

  checkIndex(i: number, what = "node"): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.nodeCount) {
      throw new SimNetworkError(SimNetworkErrorCode.INVALID_ARGUMENT, `${what} ${i} is not a node index (0..${this.nodeCount - 1})`);
    }
  }

  isUp(a: number, b: number): boolean {
    return this.up[a * this.nodeCount + b] === 1;
  }

  generation(a: number, b: number): number {
    return this.generations[this.key(a, b)];
  }

  /** Why a message between a and b cannot pass now (or why the link last went down). */
  reasonDown(a: number, b: number): CutReason {
    if (!this.isLive(a) || !this.isLive(b)) return "offline";
    if (!this.sameSide(a, b) || this.cut[this.key(a, b)] === 1) return "partition";
    return this.lastCut[this.key(a, b)];
  }

  /** Nodes linked to `i`, ascending. */
  peersOf(i: number): readonly number[] {
    return this.peers[i];
  }

  isOnline(i: number): boolean {
    return this.online[i];
  }

  isAttached(i: number): boolean {
    return this.attached[i];
  }

  setAttached(i: number, attached: boolean): LinkChange[] {
    this.checkIndex(i);
    this.attached[i] = attached;
    return this.recompute();
  }

  setOnline(i: number, online: boolean): LinkChange[] {
    this.checkIndex(i);
    this.online[i] = online;
    return this.recompute();
  }

  /** Cuts (or restores) the one link between a and b, whatever the partition says. */
  setLinkCut(a: number, b: number, cut: boolean): LinkChange[] {
    this.checkIndex(a);
    this.checkIndex(b);
    if (a === b) throw new SimNetworkError(SimNetworkErrorCode.INVALID_ARGUMENT, `node ${a} has no link to itself`);
    this.cut[this.key(a, b)] = cut ? 1 : 0;
    return this.recompute();
  }

  /** `groups`: node indices per side; a node in no group is cut off from everyone. null heals. */
  setPartition(groups: number[][] | null): LinkChange[] {
    if (groups === null) {
      this.side = null;
      return this.recompute();
    }
    const side = new Array<number>(this.nodeCount).fill(-1);
    groups.forEach((group, g) => {
      for (const i of group) {
        this.checkIndex(i, `partition group ${g} names`);
        if (side[i] !== -1) throw new SimNetworkError(SimNetworkErrorCode.INVALID_ARGUMENT, `node ${i} is in partition groups ${side[i]} and ${g}`);
        side[i] = g;
      }
    });
    this.side = side;
    return this.recompute();
  }

  private isLive(i: number): boolean {
    return this.attached[i] && this.online[i];
  }

  private sameSide(a: number, b: number): boolean {
    if (this.side === null) return true;
    return this.side[a] !== -1 && this.side[a] === this.side[b];
  }

  private key(a: number, b: number): number {
    return a < b ? a * this.nodeCount + b : b * this.nodeCount + a;
  }

  /** Brings `up` in line with the state; the links that changed, in (a, b) order. */
  private recompute(): LinkChange[] {
    const n = this.nodeCount;
    const changes: LinkChange[] = [];
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const now = this.isLive(a) && this.isLive(b) && this.sameSide(a, b) && this.cut[a * n + b] === 0;
        if (now === this.isUp(a, b)) continue;
        this.up[a * n + b] = this.up[b * n + a] = now ? 1 : 0;
        let reason: CutReason | null = null;
        if (!now) {
          reason = this.isLive(a) && this.isLive(b) ? "partition" : "offline";
          this.generations[a * n + b]++;
          this.lastCut[a * n + b] = reason;
        }
        changes.push({a, b, up: now, reason});
      }
    }
    if (changes.length > 0) {
      this.peers = Array.from({length: n}, (_, i) => {
        const out: number[] = [];
        for (let j = 0; j < n; j++) if (this.up[i * n + j] === 1) out.push(j);
        return out;
      });
    }
    return changes;
  }
}
