/**
 * Which validators have a valid attestation seen per target epoch (p2p beacon_attestation
 * "no other valid attestation seen for this target epoch and validator"), with the data root it
 * attested to, so that a resubmission of the same attestation is told apart from a conflicting
 * one.
 */
export class SeenAttesters {
  private readonly byEpoch = new Map<number, Map<number, string>>();
  private lowestEpoch = 0;

  /** The data root (hex) this validator attested to in `epoch`, if seen. */
  get(epoch: number, validatorIndex: number): string | undefined {
    return this.byEpoch.get(epoch)?.get(validatorIndex);
  }

  add(epoch: number, validatorIndex: number, dataRootHex: string): void {
    if (epoch < this.lowestEpoch) return;
    let m = this.byEpoch.get(epoch);
    if (m === undefined) {
      m = new Map();
      this.byEpoch.set(epoch, m);
    }
    if (!m.has(validatorIndex)) m.set(validatorIndex, dataRootHex);
  }

  pruneBefore(epoch: number): void {
    this.lowestEpoch = Math.max(this.lowestEpoch, epoch);
    for (const e of this.byEpoch.keys()) if (e < epoch) this.byEpoch.delete(e);
  }
}

/** Aggregators seen per target epoch (p2p "first valid aggregate for this epoch and aggregator"). */
export class SeenAggregators {
  private readonly byEpoch = new Map<number, Set<number>>();
  private lowestEpoch = 0;

  has(epoch: number, aggregatorIndex: number): boolean {
    return this.byEpoch.get(epoch)?.has(aggregatorIndex) ?? false;
  }

  add(epoch: number, aggregatorIndex: number): void {
    if (epoch < this.lowestEpoch) return;
    let s = this.byEpoch.get(epoch);
    if (s === undefined) {
      s = new Set();
      this.byEpoch.set(epoch, s);
    }
    s.add(aggregatorIndex);
  }

  pruneBefore(epoch: number): void {
    this.lowestEpoch = Math.max(this.lowestEpoch, epoch);
    for (const e of this.byEpoch.keys()) if (e < epoch) this.byEpoch.delete(e);
  }
}
