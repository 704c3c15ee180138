/**
 * The req/resp engine: one libp2p stream per request. Inbound, it reads and checks the request,
 * applies the per-peer rate limit and writes the handler's chunks; outbound, it negotiates the
 * newest protocol version the peer speaks, writes the request, half-closes and reads the chunks
 * under the spec's TTFB and response timeouts. Misbehaviour goes to `onPeerFault`.
 */
import type {Connection, Libp2p, Stream} from "@libp2p/interface";
import {peerIdFromString} from "@libp2p/peer-id";
import {MAX_CONCURRENT_REQUESTS} from "../../params/index.ts";
import {GnomonError} from "../../util/errors.ts";
import type {Logger} from "../../util/logger.ts";
import {ByteReader} from "../encoding/byteReader.ts";
import {EncodingError} from "../encoding/errors.ts";
import {encodeSszSnappy, readSszSnappy} from "../encoding/sszSnappy.ts";
import {encodeErrorChunk, encodeSuccessChunk, readResponseChunk, ResponseError} from "./chunks.ts";
import {PROTOCOLS, protocolId, RESP_TIMEOUT_MS, RespCode, TTFB_TIMEOUT_MS, type Method, type ProtocolDef} from "./protocols.ts";
import {RateLimiter} from "./rateLimiter.ts";

/** A handler's refusal, sent to the requester as an error chunk. */
export class RequestError extends GnomonError {
  readonly resultCode: number;
  constructor(resultCode: number, message: string) {
    super("REQUEST_ERROR", message);
    this.resultCode = resultCode;
  }
}

/** A request that failed on our side (timeout, stream error, bad response). */
export class ReqRespError extends GnomonError {}

export interface InboundRequest {
  peerId: string;
  def: ProtocolDef;
  /** The request's SSZ bytes (empty for metadata). */
  body: Uint8Array;
}

/** What a handler yields: a chunk's SSZ payload. */
export type ResponseChunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ReqRespHandler {
  /** The rate-limit cost of a request (block requests: the blocks asked for). Throws RequestError for a malformed request. */
  cost(req: InboundRequest): number;
  handle(req: InboundRequest): ResponseChunks | Promise<ResponseChunks>;
}

/** Why a peer's request or response counted against it. */
export type PeerFault = "invalid_request" | "rate_limited" | "invalid_response" | "timeout" | "error_response";

export interface ReqRespOptions {
  libp2p: Libp2p;
  handlers: Record<Method, ReqRespHandler>;
  /** The fork digest: v2 context bytes. */
  forkDigest: Uint8Array;
  /** The config's MAX_PAYLOAD_SIZE: no request or response chunk may be longer. */
  maxPayloadSize: number;
  logger: Logger;
  onPeerFault(peerId: string, fault: PeerFault, detail: string): void;
  rateLimiter?: RateLimiter;
}

export class ReqResp {
  private readonly opts: ReqRespOptions;
  readonly rateLimiter: RateLimiter;
  /** Outbound requests in flight per peer and protocol (MAX_CONCURRENT_REQUESTS). */
  private readonly inFlight = new Map<string, {count: number; waiters: (() => void)[]}>();

  constructor(opts: ReqRespOptions) {
    this.opts = opts;
    this.rateLimiter = opts.rateLimiter ?? new RateLimiter();
  }

  async start(): Promise<void> {
    for (const def of PROTOCOLS) {
      await this.opts.libp2p.handle(protocolId(def.method, def.version), (stream, connection) => this.onInbound(def, stream, connection), {
        // Each request is its own stream; the spec caps concurrent ones at two per protocol.
        maxInboundStreams: 32,
      });
    }
  }

  async stop(): Promise<void> {
    await this.opts.libp2p.unhandle(PROTOCOLS.map((d) => protocolId(d.method, d.version)));
  }

  // ---- inbound ----

  private async onInbound(def: ProtocolDef, stream: Stream, connection: Connection): Promise<void> {
    const peerId = connection.remotePeer.toString();
    const timer = setTimeout(() => stream.abort(new ReqRespError("REQUEST_TIMEOUT", "request not received in time")), RESP_TIMEOUT_MS);
    try {
      let body: Uint8Array = new Uint8Array(0);
      const reader = new ByteReader(stream);
      const bounds = def.request();
      try {
        if (bounds !== null) {
          const read = await readSszSnappy(reader, bounds, this.opts.maxPayloadSize);
          if (read === null) throw new EncodingError("EMPTY_REQUEST", "request has no payload");
          body = read;
        }
        if (!(await reader.atEnd())) throw new EncodingError("TRAILING_BYTES", "bytes after the request payload");
      } catch (e) {
        if (!(e instanceof EncodingError)) throw e;
        this.opts.onPeerFault(peerId, "invalid_request", `${def.method}: ${e.message}`);
        await this.sendAndClose(stream, [encodeErrorChunk(RespCode.invalidRequest, e.message)]);
        return;
      }
      clearTimeout(timer);
      const req: InboundRequest = {peerId, def, body};
      const handler = this.opts.handlers[def.method];
      let chunks: ResponseChunks;
      try {
        const cost = handler.cost(req);
        if (!this.rateLimiter.allow(peerId, def.method, cost)) {
          this.opts.onPeerFault(peerId, "rate_limited", `${def.method} over its rate limit`);
          throw new RequestError(RespCode.resourceUnavailable, "rate limited");
        }
        chunks = await handler.handle(req);
      } catch (e) {
        if (!(e instanceof RequestError)) throw e;
        if (e.resultCode === RespCode.invalidRequest) this.opts.onPeerFault(peerId, "invalid_request", `${def.method}: ${e.message}`);
        await this.sendAndClose(stream, [encodeErrorChunk(e.resultCode, e.message)]);
        return;
      }
      const context = def.contextBytes ? this.opts.forkDigest : undefined;
      for await (const payload of chunks) {
        if (!(await this.send(stream, encodeSuccessChunk(payload, context)))) return;
      }
      await stream.close();
    } catch (e) {
      this.opts.logger.debug({peer: peerId, method: def.method, err: (e as Error).message}, "inbound request failed");
      try {
        if (stream.writeStatus === "writable") await this.sendAndClose(stream, [encodeErrorChunk(RespCode.serverError, "server error")]);
        else stream.abort(e as Error);
      } catch {
        stream.abort(e as Error);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** False when the stream can no longer take data (the peer went away). */
  private async send(stream: Stream, data: Uint8Array): Promise<boolean> {
    if (stream.writeStatus !== "writable") return false;
    if (!stream.send(data)) await stream.onDrain({signal: AbortSignal.timeout(RESP_TIMEOUT_MS)});
    return true;
  }

  private async sendAndClose(stream: Stream, chunks: Uint8Array[]): Promise<void> {
    for (const c of chunks) if (!(await this.send(stream, c))) return;
    await stream.close();
  }

  // ---- outbound ----

  /**
   * Sends a request and returns the response chunks' SSZ payloads (at most `maxChunks`). `versions`
   * lists the acceptable versions, preferred first. Throws ResponseError for an error answer and
   * ReqRespError for anything else.
   */
  async request(peerId: string, method: Method, versions: number[], body: Uint8Array | null, maxChunks = 1): Promise<{payloads: Uint8Array[]; version: number}> {
    const key = `${peerId}/${method}`;
    await this.acquire(key);
    try {
      return await this.doRequest(peerId, method, versions, body, maxChunks);
    } finally {
      this.release(key);
    }
  }

  private async doRequest(peerId: string, method: Method, versions: number[], body: Uint8Array | null, maxChunks: number): Promise<{payloads: Uint8Array[]; version: number}> {
    let stream: Stream;
    try {
      stream = await this.opts.libp2p.dialProtocol(peerIdFromString(peerId), versions.map((v) => protocolId(method, v)), {
        signal: AbortSignal.timeout(TTFB_TIMEOUT_MS),
      });
    } catch (e) {
      throw new ReqRespError("DIAL_FAILED", `cannot open ${method} stream to ${peerId}: ${(e as Error).message}`, {cause: e});
    }
    const def = PROTOCOLS.find((d) => protocolId(d.method, d.version) === stream.protocol);
    if (def === undefined) {
      stream.abort(new Error("unexpected protocol"));
      throw new ReqRespError("PROTOCOL", `peer negotiated an unexpected protocol ${stream.protocol}`);
    }
    let timedOut = false;
    let timer = setTimeout(() => {
      timedOut = true;
      stream.abort(new ReqRespError("TTFB_TIMEOUT", "no response in time"));
    }, TTFB_TIMEOUT_MS);
    try {
      if (body !== null) stream.send(encodeSszSnappy(body));
      await stream.close();
      const reader = new ByteReader(stream);
      const payloads: Uint8Array[] = [];
      while (payloads.length < maxChunks) {
        const payload = await readResponseChunk(reader, def, this.opts.forkDigest, this.opts.maxPayloadSize);
        if (payload === null) break;
        payloads.push(payload);
        clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          stream.abort(new ReqRespError("RESP_TIMEOUT", "response chunk not received in time"));
        }, RESP_TIMEOUT_MS);
      }
      if (payloads.length === 0 && def.multiChunk === false) throw new EncodingError("EMPTY_RESPONSE", `${method} answered with no chunk`);
      if (stream.status === "open") stream.abort(new Error("response complete"));
      return {payloads, version: def.version};
    } catch (e) {
      if (timedOut) {
        this.opts.onPeerFault(peerId, "timeout", `${method} timed out`);
        throw new ReqRespError("TIMEOUT", `${method} to ${peerId} timed out`, {cause: e});
      }
      if (e instanceof EncodingError) {
        this.opts.onPeerFault(peerId, "invalid_response", `${method}: ${e.message}`);
        throw new ReqRespError("INVALID_RESPONSE", `${method} from ${peerId}: ${e.message}`, {cause: e});
      }
      if (e instanceof ResponseError) {
        if (e.resultCode === RespCode.serverError || e.resultCode === RespCode.invalidRequest) this.opts.onPeerFault(peerId, "error_response", e.message);
        throw e;
      }
      throw new ReqRespError("STREAM_FAILED", `${method} to ${peerId}: ${(e as Error).message}`, {cause: e});
    } finally {
      clearTimeout(timer);
    }
  }

  private async acquire(key: string): Promise<void> {
    const slot = this.inFlight.get(key) ?? {count: 0, waiters: []};
    this.inFlight.set(key, slot);
    while (slot.count >= MAX_CONCURRENT_REQUESTS) await new Promise<void>((resolve) => slot.waiters.push(resolve));
    slot.count++;
  }

  private release(key: string): void {
    const slot = this.inFlight.get(key);
    if (slot === undefined) return;
    slot.count--;
    const next = slot.waiters.shift();
    if (next !== undefined) next();
    else if (slot.count === 0) this.inFlight.delete(key);
  }
}
