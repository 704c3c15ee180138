/**
 * `npm run bench:check-inputs [-- 16384,65536]`: builds the epoch pre-state of INPUTS.md afresh
 * (from the cached pubkeys, never from a cached state) for each listed validator count, default
 * all four, and compares its hash_tree_root with the root INPUTS.md lists. Exit status 1 on any
 * mismatch, 2 on bad arguments.
 */
import {useNetwork} from "../../src/params/index.ts";
import {toHex} from "../../src/util/bytes.ts";
import {progressOptions} from "./cli.ts";
import {BENCH_VALIDATOR_COUNTS, buildPreState, EPOCH_BENCH_SLOT, EXPECTED_EPOCH_PRE_STATE_ROOTS} from "./index.ts";

function parseCounts(args: string[]): number[] | null {
  if (args.length === 0) return [...BENCH_VALIDATOR_COUNTS];
  const counts = args.flatMap((a) => a.split(",")).filter((a) => a !== "");
  if (!counts.every((c) => /^[0-9]+$/.test(c) && EXPECTED_EPOCH_PRE_STATE_ROOTS[Number(c)] !== undefined)) return null;
  return counts.map(Number);
}

export async function checkInputs(args: string[]): Promise<number> {
  const counts = parseCounts(args);
  if (counts === null) {
    console.error(`usage: check-inputs [N,...] with N among ${BENCH_VALIDATOR_COUNTS.join(", ")}`);
    return 2;
  }
  useNetwork("mainnet");
  let failed = 0;
  for (const n of counts) {
    const started = performance.now();
    const {root} = await buildPreState(n, EPOCH_BENCH_SLOT, progressOptions(undefined, false));
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    const expected = EXPECTED_EPOCH_PRE_STATE_ROOTS[n];
    const ok = toHex(root) === expected;
    if (!ok) failed++;
    console.log(`${ok ? "ok      " : "MISMATCH"} N=${n} slot ${EPOCH_BENCH_SLOT}: ${toHex(root)}${ok ? "" : ` (INPUTS.md: ${expected})`} [${secs} s]`);
  }
  console.log(failed === 0 ? `all ${counts.length} pre-state roots match INPUTS.md` : `${failed} of ${counts.length} pre-state roots differ`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) process.exitCode = await checkInputs(process.argv.slice(2));
