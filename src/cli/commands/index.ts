/**
 * The command registry. Command modules are imported only when chosen, so `gnomon --help` and
 * light commands do not pay for loading libp2p, fastify or the state transition.
 */
import type {Command} from "../command.ts";

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const commandEntries: CommandEntry[] = [
  {
    name: "beacon",
    summary: "Run a beacon node (chain, database, REST API)",
    load: async () => (await import("./beacon.ts")).beaconCommand,
  },
  {
    name: "dev",
    summary: "Run a single-machine devnet: beacon node + validator client for N interop validators",
    load: async () => (await import("./dev.ts")).devCommand,
  },
  {
    name: "devnet",
    summary: "Run a multi-process devnet on 127.0.0.1: K gnomon nodes sharing N interop validators",
    load: async () => (await import("./devnet.ts")).devnetCommand,
  },
  {
    name: "sim",
    summary: "Simulate a scenario: real nodes under partitions and Byzantine validators, on virtual time, with verdicts",
    load: async () => (await import("./sim.ts")).simCommand,
  },
  {
    name: "validator",
    summary: "Run a validator client against a beacon node's REST API",
    load: async () => (await import("./validator.ts")).validatorCommand,
  },
  {
    name: "spec-test",
    summary: "Replay the official consensus spec-test vectors",
    load: async () => (await import("../../../spec-tests/cli.ts")).specTestCommand,
  },
  {
    name: "bench",
    summary: "Run benchmarks (shuffle, ...)",
    load: async () => (await import("../../../bench/cli.ts")).benchCommand,
  },
  {
    name: "genesis",
    summary: "Write a genesis state (SSZ): interop validators, or from the deposit contract",
    load: async () => (await import("./genesis.ts")).genesisCommand,
  },
  {
    name: "keys",
    summary: "Make validator keys and deposit data (EIP-2333/2334/2335)",
    load: async () => (await import("./keys.ts")).keysCommand,
  },
  {
    name: "deposit",
    summary: "Send the deposits of a deposit data file to the deposit contract",
    load: async () => (await import("./deposit.ts")).depositCommand,
  },
];
