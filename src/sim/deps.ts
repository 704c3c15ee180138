/** The simulator's real parts: the simulated network and the Byzantine behaviours. */
import {createBehaviour} from "./adversary/index.ts";
import {SimNetwork} from "./network/simNetwork.ts";
import type {SimulationDeps} from "./simulation.ts";

export const defaultSimulationDeps: SimulationDeps = {
  createNetwork: (opts) => new SimNetwork(opts),
  createBehaviour,
};
