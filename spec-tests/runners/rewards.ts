/**
 * rewards (consensus-specs tests/formats/rewards): each delta component of `pre` against the
 * expected Deltas container {rewards, penalties: List[Gwei, VALIDATOR_REGISTRY_LIMIT]}.
 */
import {ContainerType, ListBasicType} from "@chainsafe/ssz";
import {
  beforeProcessEpoch,
  getHeadDeltas,
  getInactivityPenaltyDeltas,
  getInclusionDelayDeltas,
  getSourceDeltas,
  getTargetDeltas,
  type CachedBeaconState,
  type Deltas,
  type EpochTransitionCache,
} from "../../src/state-transition/index.ts";
import {VALIDATOR_REGISTRY_LIMIT} from "../../src/params/index.ts";
import {primitive} from "../../src/types/index.ts";
import {CaseFailure, SkipCase, type CaseContext, type Runner} from "../harness/types.ts";
import {loadCachedState, readMeta} from "./sanity.ts";

const components: [string, (s: CachedBeaconState, c: EpochTransitionCache) => Deltas][] = [
  ["source_deltas", getSourceDeltas],
  ["target_deltas", getTargetDeltas],
  ["head_deltas", getHeadDeltas],
  ["inclusion_delay_deltas", getInclusionDelayDeltas],
  ["inactivity_penalty_deltas", getInactivityPenaltyDeltas],
];

function deltasType() {
  const list = new ListBasicType(primitive.Gwei, VALIDATOR_REGISTRY_LIMIT);
  return new ContainerType({rewards: list, penalties: list}, {typeName: "Deltas"});
}

export const runner: Runner = {
  name: "rewards",
  run(ctx: CaseContext): void {
    if (!["basic", "leak", "random"].includes(ctx.handler)) throw new SkipCase(`rewards handler ${ctx.handler} is not a phase0 handler`);
    readMeta(ctx);
    const s = loadCachedState(ctx, "pre");
    const cache = beforeProcessEpoch(s);
    const Deltas = deltasType();
    const failures: string[] = [];
    for (const [name, fn] of components) {
      const expected = Deltas.deserialize(ctx.readSsz(name));
      const actual = fn(s, cache);
      for (const part of ["rewards", "penalties"] as const) {
        const a = actual[part];
        const b = expected[part];
        if (a.length !== b.length) {
          failures.push(`${name}.${part}: length ${a.length}, expected ${b.length}`);
          continue;
        }
        const i = a.findIndex((x, k) => x !== b[k]);
        if (i >= 0) failures.push(`${name}.${part}[${i}] = ${a[i]}, expected ${b[i]}`);
      }
    }
    if (failures.length > 0) throw new CaseFailure(failures.join("; "));
  },
};
