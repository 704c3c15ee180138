/**
 * Validators seen live per epoch (beacon-APIs liveness: best effort, from what this node saw):
 * an attestation (API, gossip or in a block) whose target is the epoch, or a block proposed in it.
 */
export class LivenessTracker {
  private readonly byEpoch = new Map<number, Set<number>>();
  /** Epochs kept: the API must answer for the current and previous epoch at least. */
  readonly keepEpochs: number;

  constructor(keepEpochs = 4) {
    this.keepEpochs = keepEpochs;
  }

  markLive(epoch: number, validatorIndex: number): void {
    let s = this.byEpoch.get(epoch);
    if (s === undefined) {
      s = new Set();
      this.byEpoch.set(epoch, s);
      this.prune(epoch);
    }
    s.add(validatorIndex);
  }

  markAllLive(epoch: number, indices: ArrayLike<number>): void {
    for (let i = 0; i < indices.length; i++) this.markLive(epoch, indices[i]);
  }

  isLive(epoch: number, validatorIndex: number): boolean {
    return this.byEpoch.get(epoch)?.has(validatorIndex) ?? false;
  }

  private prune(newestEpoch: number): void {
    for (const e of this.byEpoch.keys()) if (e + this.keepEpochs <= newestEpoch) this.byEpoch.delete(e);
  }
}
