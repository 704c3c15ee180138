/** finality (consensus-specs tests/formats/finality): the sanity blocks format. */
import {SkipCase, type CaseContext, type Runner} from "../harness/types.ts";
import {runBlocksCase} from "./sanity.ts";

export const runner: Runner = {
  name: "finality",
  run(ctx: CaseContext): void {
    if (ctx.handler !== "finality") throw new SkipCase(`finality handler ${ctx.handler} is not defined by the format`);
    runBlocksCase(ctx);
  },
};
