/** random (consensus-specs tests/formats/random): the sanity blocks format on randomized states. */
import {SkipCase, type CaseContext, type Runner} from "../harness/types.ts";
import {runBlocksCase} from "./sanity.ts";

export const runner: Runner = {
  name: "random",
  run(ctx: CaseContext): void {
    if (ctx.handler !== "random") throw new SkipCase(`random handler ${ctx.handler} is not defined by the format`);
    runBlocksCase(ctx);
  },
};
