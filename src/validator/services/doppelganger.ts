/**
 * Doppelganger protection: before the client signs anything, it watches its keys' liveness
 * (POST /eth/v1/validator/liveness/{epoch}) through one whole epoch after the one it started in.
 * A key seen live there was signed for by someone else (this client signed nothing yet), so the
 * client must not sign at all. The start epoch itself is not judged: this client's own previous
 * run may have attested in it before a restart.
 */
import type {Logger} from "../../util/logger.ts";
import type {BeaconApiClient} from "../api/client.ts";

export const DOPPELGANGER_DETECTION_EPOCHS = 1;

export type DoppelgangerVerdict =
  | {state: "watching"}
  | {state: "clear"}
  | {state: "detected"; epoch: number; indices: number[]};

export class DoppelgangerService {
  private readonly api: BeaconApiClient;
  private readonly indices: () => number[];
  private readonly logger: Logger;
  /** The first and last epoch whose liveness decides. */
  readonly firstEpoch: number;
  readonly lastEpoch: number;
  private verdict: DoppelgangerVerdict = {state: "watching"};

  constructor(opts: {api: BeaconApiClient; indices: () => number[]; startEpoch: number; logger: Logger; detectionEpochs?: number}) {
    this.api = opts.api;
    this.indices = opts.indices;
    this.logger = opts.logger;
    this.firstEpoch = opts.startEpoch + 1;
    this.lastEpoch = opts.startEpoch + (opts.detectionEpochs ?? DOPPELGANGER_DETECTION_EPOCHS);
  }

  /** A client started before genesis: no message of its keys can exist yet. */
  clearBeforeGenesis(): void {
    this.verdict = {state: "clear"};
    this.logger.info("doppelganger protection: started before genesis, nothing to watch");
  }

  get signingAllowed(): boolean {
    return this.verdict.state === "clear";
  }

  get state(): DoppelgangerVerdict {
    return this.verdict;
  }

  /**
   * Asks the node about every watched epoch that has begun. Once the epoch after the last watched
   * one has begun (the last one's attestations are all in), a clean answer clears the keys.
   */
  async check(currentEpoch: number): Promise<DoppelgangerVerdict> {
    if (this.verdict.state !== "watching") return this.verdict;
    const indices = this.indices();
    for (let epoch = this.firstEpoch; epoch <= Math.min(currentEpoch, this.lastEpoch); epoch++) {
      if (indices.length === 0) break;
      const live = (await this.api.getLiveness(epoch, indices)).filter((l) => l.isLive).map((l) => l.index);
      if (live.length > 0) {
        this.verdict = {state: "detected", epoch, indices: live.sort((a, b) => a - b)};
        return this.verdict;
      }
    }
    if (currentEpoch > this.lastEpoch) {
      this.verdict = {state: "clear"};
      this.logger.info({epochs: `${this.firstEpoch}..${this.lastEpoch}`, validators: indices.length}, "doppelganger protection: no key live elsewhere; signing starts");
    }
    return this.verdict;
  }
}
