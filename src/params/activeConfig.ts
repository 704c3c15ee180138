/**
 * The active chain config, a live binding like the active preset. Set once at start-up by
 * `useNetwork` (CLI) or by a test harness; read wherever the spec reads a config value.
 */
import {type ChainConfig, createChainConfig} from "./chainConfig.ts";

export let config: ChainConfig = createChainConfig("mainnet");

export function setActiveConfig(next: ChainConfig): void {
  config = next;
}
