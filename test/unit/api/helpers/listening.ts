/** A real chain behind an API server listening on a free port of 127.0.0.1 (for tests that need sockets). */
import {createApiServer, type ApiServer} from "../../../../src/api/index.ts";
import {useNetwork} from "../../../../src/params/index.ts";
import {createDevChain, type DevChain} from "./devChain.ts";

export interface ListeningApi {
  dev: DevChain;
  server: ApiServer;
  url: string;
  close(): Promise<void>;
}

export async function listeningApi(): Promise<ListeningApi> {
  const dev = await createDevChain();
  const server = createApiServer(dev.chain, {port: 0});
  const url = await server.listen();
  return {
    dev,
    server,
    url,
    async close() {
      await server.close();
      await dev.close();
      useNetwork("mainnet");
    },
  };
}
