/**
 * A `fetch` that reaches a node's REST API in process, through fastify's request injection: the
 * simulator's validator clients speak the same HTTP API as over a socket (routes, codecs, status
 * codes, the SSE event stream), but no byte leaves the process, so no real I/O can reorder a run.
 */
import {Readable} from "node:stream";
import type {FastifyInstance} from "fastify";

type InjectMethod = "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS";

export function inProcessFetch(app: FastifyInstance): typeof fetch {
  const f = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input.toString() : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const body = init?.body;
    const payload = body === undefined || body === null ? undefined : typeof body === "string" ? body : Buffer.from(body as Uint8Array);
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    // The signal is not handed to the injection: aborting there errors a stream nobody listens
    // to yet. An in-process request finishes at once anyway; an open stream is ended below.
    const res = await app.inject({
      method: (init?.method ?? "GET").toUpperCase() as InjectMethod,
      url: url.pathname + url.search,
      headers,
      payload,
      // An event stream never ends: it is handed over as a stream, as a socket would.
      payloadAsStream: true,
    });
    const outHeaders = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) outHeaders.append(k, String(one));
    }
    const stream = res.stream();
    // Errors reach the reader through the web stream; this keeps one from escaping as an unhandled event.
    stream.on("error", () => {});
    if (signal !== undefined) {
      const end = (): void => void stream.destroy();
      if (signal.aborted) end();
      else {
        signal.addEventListener("abort", end, {once: true});
        stream.once("close", () => signal.removeEventListener("abort", end));
      }
    }
    const noBody = res.statusCode === 204 || res.statusCode === 304;
    if (noBody) stream.resume();
    return new Response(noBody ? null : (Readable.toWeb(stream) as ReadableStream<Uint8Array>), {status: res.statusCode, headers: outHeaders});
  };
  return f as typeof fetch;
}
