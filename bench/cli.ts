/**
 * `gnomon bench <name>`: micro- and macro-benchmarks. Each subcommand lives in its own file and
 * is listed here, one line each.
 */
import type {Command} from "../src/cli/command.ts";
import {shuffleBench} from "./shuffle.ts";
import {epochBench} from "./epoch.ts";
import {blockBench} from "./block.ts";
import {forkChoiceBench} from "./forkChoice.ts";
import {soakBench} from "./soak.ts";
import {gossipBench} from "./gossip.ts";

const subcommands: Command[] = [
  shuffleBench,
  epochBench,
  blockBench,
  forkChoiceBench,
  soakBench,
  gossipBench,
];

export const benchCommand: Command = {
  name: "bench",
  summary: "Run a benchmark and print median/min/max times and peak RSS",
  usage: "bench <name> [options]",
  options: {},
  subcommands,
  details: "Run `gnomon bench <name> --help` for the options of a benchmark. Figures are wall-clock medians; the machine is shared, so compare medians, not single runs.",
};
