/**
 * Before genesis a node has nothing to show: say so, with the time left, and say again when the
 * chain starts, so a quiet terminal is not mistaken for a hang.
 */
import type {BeaconChain} from "../chain/index.ts";
import type {Logger} from "../util/logger.ts";

export function startGenesisWait(chain: BeaconChain, logger: Logger): () => void {
  const clock = chain.clock;
  if (!clock.isBeforeGenesis()) return () => {};
  const genesisMs = chain.genesis.genesisTime * 1000;
  const seconds = Math.ceil((genesisMs - clock.nowMs()) / 1000);
  logger.info({genesisTime: chain.genesis.genesisTime, at: new Date(genesisMs).toISOString(), inSeconds: seconds}, `waiting for genesis: ${seconds} s`);
  const onSlot = (slot: number): void => {
    if (slot !== 0) return;
    logger.info("genesis reached: slot 0");
    clock.off("slot", onSlot);
  };
  clock.on("slot", onSlot);
  return () => clock.off("slot", onSlot);
}
