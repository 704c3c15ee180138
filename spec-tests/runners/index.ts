/**
 * The runner registry: `<runner>` folder name -> lazy loader, one line per runner. A runner
 * module is imported only when a case of its folder runs. Folders without an entry are reported
 * as skipped ("runner <x> not implemented").
 */
import type {RunnerLoader} from "../harness/types.ts";

export const runners: Readonly<Record<string, RunnerLoader>> = {
  bls: async () => (await import("./bls.ts")).runner,
  ssz_generic: async () => (await import("./ssz_generic.ts")).runner,
  ssz_static: async () => (await import("./ssz_static.ts")).runner,
  shuffling: async () => (await import("./shuffling.ts")).runner,
  operations: async () => (await import("./operations.ts")).runner,
  epoch_processing: async () => (await import("./epoch_processing.ts")).runner,
  sanity: async () => (await import("./sanity.ts")).runner,
  finality: async () => (await import("./finality.ts")).runner,
  rewards: async () => (await import("./rewards.ts")).runner,
  random: async () => (await import("./random.ts")).runner,
  genesis: async () => (await import("./genesis.ts")).runner,
  fork_choice: async () => (await import("./fork_choice.ts")).runner,
  networking: async () => (await import("./networking.ts")).runner,
};
