/** Counts of what the client did, summarized once per epoch in the log. */
export interface DutyCounts {
  blocksProposed: number;
  blocksFailed: number;
  attestationsPublished: number;
  attestationsFailed: number;
  aggregatesPublished: number;
  aggregatesFailed: number;
  /** Signatures slashing protection refused (each one is logged as a warning too). */
  refusedBySlashingProtection: number;
}

export function emptyCounts(): DutyCounts {
  return {
    blocksProposed: 0,
    blocksFailed: 0,
    attestationsPublished: 0,
    attestationsFailed: 0,
    aggregatesPublished: 0,
    aggregatesFailed: 0,
    refusedBySlashingProtection: 0,
  };
}

export class DutyStats {
  /** Since start. */
  readonly total: DutyCounts = emptyCounts();
  /** Since the last `takeEpoch`. */
  private epoch: DutyCounts = emptyCounts();
  /** Told of every addition (the client's metrics). */
  onAdd: ((key: keyof DutyCounts, n: number) => void) | null = null;

  add(key: keyof DutyCounts, n = 1): void {
    this.total[key] += n;
    this.epoch[key] += n;
    this.onAdd?.(key, n);
  }

  takeEpoch(): DutyCounts {
    const out = this.epoch;
    this.epoch = emptyCounts();
    return out;
  }
}
