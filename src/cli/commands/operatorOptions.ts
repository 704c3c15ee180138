/**
 * Flags an operator sets on long-running commands (beacon, dev, validator): a rotated log file
 * beside the terminal output, and the Prometheus endpoint.
 */
import type {Registry} from "prom-client";
import {type Command, type ParsedOptions, intOption} from "../command.ts";
import {InputError} from "../../util/errors.ts";
import {createFileLogger, createLogger, type Logger} from "../../util/logger.ts";
import type {MetricsServer} from "../../metrics/index.ts";

export const logFileOptionSpecs: Command["options"] = {
  "log-file": {type: "string", description: "Also write JSON log lines to this file, rotated by size (x.log: x.1.log, x.2.log, ...)", valueName: "file"},
  "log-file-size": {type: "string", description: "Rotate the log file at this size (k, m or g)", default: "100m", valueName: "size"},
  "log-file-count": {type: "string", description: "Rotated log files to keep", default: "5", valueName: "n"},
};

export const metricsOptionSpecs: Command["options"] = {
  metrics: {type: "boolean", description: "Serve Prometheus metrics at http://ADDRESS:PORT/metrics"},
  "metrics-address": {type: "string", description: "Address the metrics endpoint binds to", default: "127.0.0.1", valueName: "ip"},
  "metrics-port": {type: "string", description: "Metrics port (0: any free port)", default: "8008", valueName: "port"},
};

export interface OperatorLogging {
  logger: Logger;
  close(): Promise<void>;
}

/** The terminal logger, plus the rotated file when --log-file is given. */
export async function setupLogging(opts: ParsedOptions, level: string): Promise<OperatorLogging> {
  const file = opts["log-file"];
  if (file === undefined) return {logger: createLogger({level}), close: async () => {}};
  if (typeof file !== "string" || file === "") throw new InputError("--log-file needs a file name");
  const size = String(opts["log-file-size"]);
  if (!/^[1-9][0-9]*[kmg]?$/.test(size)) throw new InputError(`--log-file-size must be a number with k, m or g (e.g. 100m), got "${size}"`);
  const count = intOption(opts, "log-file-count", 1, 1000)!;
  return createFileLogger({level, file, size, count});
}

/** Parsed --metrics flags, or null without --metrics. */
export function metricsOption(opts: ParsedOptions): {address: string; port: number} | null {
  if (opts.metrics !== true) return null;
  const address = String(opts["metrics-address"]);
  if (address === "") throw new InputError("--metrics-address must not be empty");
  return {address, port: intOption(opts, "metrics-port", 0, 65535)!};
}

export async function serveMetrics(where: {address: string; port: number}, registers: Registry[], logger: Logger): Promise<MetricsServer> {
  const {startMetricsServer} = await import("../../metrics/index.ts");
  const server = await startMetricsServer({...where, registers});
  logger.info({url: `${server.url}/metrics`}, "metrics served");
  return server;
}
