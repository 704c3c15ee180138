/**
 * epoch_processing (consensus-specs tests/formats/epoch_processing): `pre` is already transitioned
 * up to the handler's sub-transition; run that one alone and compare with `post`. When the case
 * also ships `pre_epoch`/`post_epoch`, the whole process_epoch is checked on them too (the fused
 * path that processEpoch takes, with data shared between sub-transitions).
 */
import {
  processEffectiveBalanceUpdates,
  processEpoch,
  processEth1DataReset,
  processHistoricalRootsUpdate,
  processJustificationAndFinalization,
  processParticipationRecordUpdates,
  processRandaoMixesReset,
  processRegistryUpdates,
  processRewardsAndPenalties,
  processSlashings,
  processSlashingsReset,
  type CachedBeaconState,
} from "../../src/state-transition/index.ts";
import {SkipCase, type CaseContext, type Runner} from "../harness/types.ts";
import {assertRejected, assertStateEquals, loadCachedState, readMeta} from "./sanity.ts";

const handlers: Record<string, (s: CachedBeaconState) => void> = {
  justification_and_finalization: (s) => processJustificationAndFinalization(s),
  rewards_and_penalties: (s) => processRewardsAndPenalties(s),
  registry_updates: (s) => processRegistryUpdates(s),
  slashings: (s) => processSlashings(s),
  eth1_data_reset: processEth1DataReset,
  effective_balance_updates: (s) => processEffectiveBalanceUpdates(s),
  slashings_reset: processSlashingsReset,
  randao_mixes_reset: processRandaoMixesReset,
  historical_roots_update: processHistoricalRootsUpdate,
  participation_record_updates: processParticipationRecordUpdates,
};

export const runner: Runner = {
  name: "epoch_processing",
  run(ctx: CaseContext): void {
    const fn = handlers[ctx.handler];
    if (fn === undefined) throw new SkipCase(`epoch_processing handler ${ctx.handler} is not a phase0 sub-transition`);
    readMeta(ctx);
    const s = loadCachedState(ctx, "pre");
    if (ctx.has("post.ssz_snappy")) {
      fn(s);
      assertStateEquals(ctx, s.state);
    } else {
      assertRejected(`process_${ctx.handler}`, () => fn(s));
    }
    if (ctx.has("pre_epoch.ssz_snappy")) {
      const whole = loadCachedState(ctx, "pre_epoch");
      if (ctx.has("post_epoch.ssz_snappy")) {
        processEpoch(whole);
        assertStateEquals(ctx, whole.state, "post_epoch");
      } else {
        assertRejected("process_epoch", () => processEpoch(whole));
      }
    }
  },
};
