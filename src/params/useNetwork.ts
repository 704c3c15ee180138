import {setActivePreset} from "./activePreset.ts";
import {setActiveConfig} from "./activeConfig.ts";
import {type ChainConfig, createChainConfig} from "./chainConfig.ts";
import type {PresetName} from "./presets.ts";

/**
 * Selects the preset and the chain config (base config of that preset plus overrides) for the
 * whole process. Call before building any state or SSZ value.
 */
export function useNetwork(preset: PresetName, overrides: Record<string, unknown> = {}): ChainConfig {
  const cfg = createChainConfig(preset, overrides);
  setActivePreset(preset);
  setActiveConfig(cfg);
  return cfg;
}
