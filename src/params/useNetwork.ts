import {setActivePreset} from "./activePreset.ts";
import {type ChainConfig, createChainConfig} from "./chainConfig.ts";
import type {PresetName} from "./presets.ts";

/**
 * Selects the preset for the whole process (it shapes the SSZ types) and builds the chain config
 * (base config of that preset plus overrides). The config is only returned: whoever builds a
 * node, chain or state passes it down, so nodes of different configs can share one process.
 * Call before building any state or SSZ value.
 */
export function useNetwork(preset: PresetName, overrides: Record<string, unknown> = {}): ChainConfig {
  const cfg = createChainConfig(preset, overrides);
  setActivePreset(preset);
  return cfg;
}
