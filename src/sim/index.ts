export {runSimulation, SimulationAbortedError, validatorLayout, scenarioConfigOverrides, SIM_GENESIS_TIME, type SimulationOptions, type SimulationResult, type SimNode} from "./simulation.ts";
export {runSeeds, formatSimReport, type SeedRuns, type RunOutcome} from "./runs.ts";
export {formatReport, formatRuns, worstOf} from "./report.ts";
export {parseScenario, ScenarioError} from "./scenario.ts";
export {computeVerdicts} from "./verdicts.ts";
export {defaultSimulationDeps} from "./deps.ts";
export type * from "./types.ts";
