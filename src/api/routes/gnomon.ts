/**
 * Gnomon's own read endpoints, for what the standard API does not report (the live view at /ui
 * reads them):
 *
 * GET /gnomon/v1/participation?epochs=N (default 16, at most 64): per epoch before the head's, the
 * target participation of the canonical chain as process_justification_and_finalization weighs
 * it, read from the state at the last slot of the next epoch (or from the head state while that
 * slot is still to come: `complete: false`, more attestations may be included).
 */
import type {RouteGroup} from "../context.ts";
import {badRequest} from "../errors.ts";
import {json} from "../http/response.ts";
import {parseOptionalUint} from "../params.ts";
import type {HeadInfo, IBeaconChain} from "../../chain/interface.ts";
import {previousEpochTargetParticipation} from "../../chain/participation.ts";
import {SLOTS_PER_EPOCH, SLOTS_PER_HISTORICAL_ROOT} from "../../params/index.ts";
import {computeEpochAtSlot, getBlockRootAtSlot} from "../../state-transition/index.ts";
import {toHex} from "../../util/bytes.ts";

const DEFAULT_EPOCHS = 16;
const MAX_EPOCHS = 64;
/** Per-epoch figures kept: a page polling every slot must not regenerate a state each time. */
const CACHE_ENTRIES = 4 * MAX_EPOCHS;

export interface EpochParticipation {
  epoch: number;
  /** Fraction of the total active balance, in [0, 1]. */
  targetParticipation: number;
  complete: boolean;
}

/**
 * A state is fixed by its slot and the latest block at or before it, so that pair keys the
 * figure for as long as the chain keeps that block (a reorg gives new keys). Slots older than the
 * head state's block_roots window (64 slots on the minimal preset) are keyed only once finalized;
 * before that they are read again on each request.
 */
export class ParticipationReader {
  private readonly cache = new Map<string, number>();
  private readonly chain: IBeaconChain;

  constructor(chain: IBeaconChain) {
    this.chain = chain;
  }

  async read(epochs: number): Promise<EpochParticipation[]> {
    const head = this.chain.getHead();
    const headEpoch = computeEpochAtSlot(head.slot);
    const finalizedSlot = this.chain.getFinalizedCheckpoint().epoch * SLOTS_PER_EPOCH;
    const out: EpochParticipation[] = [];
    for (let epoch = Math.max(0, headEpoch - epochs); epoch < headEpoch; epoch++) {
      const lastSlotOfNext = (epoch + 2) * SLOTS_PER_EPOCH - 1;
      const slot = Math.min(lastSlotOfNext, head.slot);
      const key = this.keyOf(slot, head, finalizedSlot);
      let value = key === null ? undefined : this.cache.get(key);
      if (value === undefined) {
        const r = slot === head.slot ? {state: head.state} : await this.chain.getStateById(slot);
        // States below a checkpoint-sync anchor are not held: that epoch is left out.
        const v = r === null ? null : previousEpochTargetParticipation(r.state);
        if (v === null) continue;
        value = v;
        if (key !== null) this.remember(key, value);
      }
      out.push({epoch, targetParticipation: value, complete: head.slot >= lastSlotOfNext});
    }
    return out;
  }

  private keyOf(slot: number, head: HeadInfo, finalizedSlot: number): string | null {
    if (slot === head.slot) return `${slot}:${toHex(head.root)}`;
    if (slot + SLOTS_PER_HISTORICAL_ROOT >= head.slot) return `${slot}:${toHex(getBlockRootAtSlot(head.state.state, slot))}`;
    return slot <= finalizedSlot ? `${slot}:finalized` : null;
  }

  private remember(key: string, value: number): void {
    this.cache.set(key, value);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }
}

export const gnomonRoutes: RouteGroup = (app, ctx) => {
  const participation = new ParticipationReader(ctx.chain);

  app.get("/gnomon/v1/participation", async (req, reply) => {
    const epochs = parseOptionalUint((req.query as Record<string, unknown>).epochs, "epochs") ?? DEFAULT_EPOCHS;
    if (epochs < 1 || epochs > MAX_EPOCHS) throw badRequest(`Invalid epochs: ${epochs} (expected 1 to ${MAX_EPOCHS})`);
    const rows = await participation.read(epochs);
    return json(
      req,
      reply,
      rows.map((r) => ({epoch: String(r.epoch), target_participation: r.targetParticipation, complete: r.complete}))
    );
  });
};
