/**
 * Running something until SIGINT/SIGTERM: the first signal stops it cleanly, a second one exits
 * at once (for a stop that hangs).
 */
import type {Logger} from "../util/logger.ts";

export function untilSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        logger.warn(`second ${signal}: exiting now`);
        process.exit(130);
      }
      received = true;
      logger.info(`${signal} received: stopping`);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
