/**
 * The Prometheus scrape endpoint: GET /metrics on its own port (127.0.0.1:8008 by default), apart
 * from the REST API so it can be firewalled or bound differently.
 */
import {createServer, type Server} from "node:http";
import type {Registry} from "prom-client";
import {GnomonError} from "../util/errors.ts";

export interface MetricsServer {
  /** e.g. http://127.0.0.1:8008 */
  readonly url: string;
  close(): Promise<void>;
}

export class MetricsError extends GnomonError {}

export async function startMetricsServer(opts: {address: string; port: number; registers: Registry[]}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, {"content-type": "text/plain"}).end("not found: GET /metrics\n");
      return;
    }
    void (async () => {
      try {
        const texts = await Promise.all(opts.registers.map((r) => r.metrics()));
        res.writeHead(200, {"content-type": opts.registers[0].contentType}).end(texts.join("\n"));
      } catch (e) {
        res.writeHead(500, {"content-type": "text/plain"}).end(`metrics failed: ${(e as Error).message}\n`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) => reject(new MetricsError("METRICS_LISTEN_FAILED", `cannot listen on ${opts.address}:${opts.port}: ${e.message}`, {cause: e})));
    server.listen(opts.port, opts.address, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr !== null ? addr.port : opts.port;
  const host = opts.address.includes(":") ? `[${opts.address}]` : opts.address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
