/**
 * pino loggers: one child per module (`{module: "chain"}`), human-readable on a TTY, JSON
 * otherwise. Secrets must never be passed to a logger.
 */
import {pino, type Logger} from "pino";
import pretty from "pino-pretty";

export type {Logger};

export interface LoggerOptions {
  level?: string;
  /** Force pretty (true) or JSON (false) output; default: pretty when stdout is a TTY. */
  pretty?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.GNOMON_LOG_LEVEL ?? "info";
  const usePretty = opts.pretty ?? process.stdout.isTTY === true;
  if (usePretty) {
    return pino({level}, pretty({colorize: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname", sync: true}));
  }
  return pino({level});
}

/** A logger that drops everything, for library code called without one. */
export const silentLogger: Logger = pino({level: "silent"});
