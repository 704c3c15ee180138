/**
 * pino loggers: one child per module (`{module: "chain"}`), human-readable on a TTY, JSON
 * otherwise. Secrets must never be passed to a logger.
 */
import {pino, type Logger} from "pino";
import pretty from "pino-pretty";
import pinoRoll from "pino-roll";
import {InputError} from "./errors.ts";

export type {Logger};

export interface LoggerOptions {
  level?: string;
  /** Force pretty (true) or JSON (false) output; default: pretty when stdout is a TTY. */
  pretty?: boolean;
}

/** The level and, when the output is pretty, the pretty stream: the same choice for every logger. */
function terminalSetup(opts: LoggerOptions): {level: string; prettyStream: ReturnType<typeof pretty> | undefined} {
  const level = opts.level ?? process.env.GNOMON_LOG_LEVEL ?? "info";
  const usePretty = opts.pretty ?? process.stdout.isTTY === true;
  const prettyStream = usePretty ? pretty({colorize: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname", sync: true}) : undefined;
  return {level, prettyStream};
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const {level, prettyStream} = terminalSetup(opts);
  if (prettyStream !== undefined) return pino({level}, prettyStream);
  return pino({level});
}

/** A logger that drops everything, for library code called without one. */
export const silentLogger: Logger = pino({level: "silent"});

export interface FileLogOptions extends LoggerOptions {
  /** Log file; rotated files are numbered before the extension (gnomon.1.log, gnomon.2.log, ...). */
  file: string;
  /** Size at which the file is rotated, in pino-roll's units ("100m", "512k"). */
  size: string;
  /** Rotated files kept beside the active one. */
  count: number;
  /** Where the terminal lines go when not pretty (default stdout). */
  terminal?: NodeJS.WritableStream;
}

/**
 * A logger writing every line both to the terminal (pretty or JSON, as createLogger) and, as one
 * JSON line per message, to a size-rotated file. `close()` flushes the file.
 */
export async function createFileLogger(opts: FileLogOptions): Promise<{logger: Logger; close(): Promise<void>}> {
  const {level, prettyStream} = terminalSetup(opts);
  const terminal = prettyStream ?? opts.terminal ?? process.stdout;
  let file: Awaited<ReturnType<typeof pinoRoll>>;
  try {
    file = await pinoRoll({file: opts.file, size: opts.size, limit: {count: opts.count}, mkdir: true});
    // The file opens asynchronously: an unwritable path shows as an error event, not a throw.
    const opened = file;
    if (!(opened.fd >= 0)) {
      await new Promise<void>((resolve, reject) => {
        opened.once("ready", () => resolve());
        opened.once("error", reject);
      });
    }
  } catch (e) {
    throw new InputError(`cannot open log file ${opts.file}: ${(e as Error).message}`);
  }
  // pino drops lines below the lowest stream level; both streams take the logger's level.
  const streams = pino.multistream([
    {level: level as pino.Level, stream: terminal},
    {level: level as pino.Level, stream: file},
  ]);
  const logger = pino({level}, streams);
  return {
    logger,
    // Resolves once the file is closed: end() writes what is still buffered asynchronously, so a
    // caller reading the log (or a process exiting) right after would otherwise lose the tail.
    close: () =>
      new Promise<void>((resolve) => {
        if (file.destroyed) return resolve();
        file.once("close", () => resolve());
        file.end();
      }),
  };
}
