/**
 * Answers for the errors that never reach the API's error handler: fastify's own routing failures
 * (a path that is not valid percent-encoding, a path parameter over the length limit) and Node's
 * HTTP parser failures (a malformed request line or header, headers over the size limit, a
 * request that took too long to arrive). They leave in the API's `{code, message}` shape like
 * every other error, and never echo the offending input.
 */
import {STATUS_CODES} from "node:http";
import {Socket} from "node:net";
import type {FastifyError, FastifyReply, FastifyRequest} from "fastify";
import type {Logger} from "../../util/logger.ts";
import {JSON_TYPE} from "./negotiate.ts";

const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: "Invalid URL: the path is not valid percent-encoding",
  FST_ERR_MAX_PARAM_LENGTH: "Invalid URL: a path parameter is too long",
};

export function frameworkErrorHandler(logger: Logger) {
  return (err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void => {
    const status = typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
    const message = FRAMEWORK_MESSAGES[err.code] ?? `Bad request (${err.code})`;
    logger.debug({status, code: err.code}, "request rejected by the router");
    sendError(_req, reply, status, {code: status, message});
  };
}

/** The status and message for an error of Node's HTTP parser. */
export function clientErrorResponse(err: NodeJS.ErrnoException): {status: number; message: string} {
  switch (err.code) {
    case "HPE_HEADER_OVERFLOW":
      return {status: 431, message: "Request headers are too large"};
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return {status: 408, message: "Request timed out"};
    default:
      return {status: 400, message: `Malformed HTTP request${err.code !== undefined ? ` (${err.code})` : ""}`};
  }
}

/**
 * Node's `clientError`: the socket carries no parsed request, so the answer is written raw, and
 * the socket lingers (see lingerAfter) rather than being destroyed with the rest of a long
 * request line or header block still unread.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  // More bytes after the first error make the parser complain again: the socket has its answer.
  if (err.code === "ECONNRESET" || socket.destroyed || lingering.has(socket)) return;
  const {status, message} = clientErrorResponse(err);
  if (socket.writable) socket.end(rawResponse(status, {code: status, message}));
  lingerAfter(socket);
}

function rawResponse(status: number, body: object): string {
  const text = JSON.stringify(body);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`;
}

/** Reads and drops what the client still sends after its answer, then closes, at the latest after LINGER_MS. */
const lingering = new WeakSet<Socket>();

function lingerAfter(socket: Socket): void {
  lingering.add(socket);
  socket.on("data", () => undefined);
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}

/**
 * An error answer. When the request's body has not been read (refused before parsing, or a route
 * that takes none), it goes out through answerAndLinger; otherwise as any reply.
 */
export function sendError(req: FastifyRequest, reply: FastifyReply, status: number, body: object): void {
  if (!req.raw.complete && req.raw.socket instanceof Socket) return answerAndLinger(req, reply, status, body);
  reply.code(status).type(JSON_TYPE).send(body);
}

/** How long a refused upload may go on being read (and dropped) after its answer. */
const LINGER_MS = 5000;

/**
 * Answers a request whose body will not be read (a 413 decided from Content-Length) without
 * losing the answer: the response is written, the socket half-closed, and what the client still
 * sends is read and dropped for a while. Closing a socket with unread data resets the connection,
 * and a reset makes the client's TCP stack discard the answer it has not read yet.
 */
export function answerAndLinger(req: FastifyRequest, reply: FastifyReply, status: number, body: object): void {
  reply.hijack();
  const socket = req.raw.socket;
  if (socket.writable) socket.end(rawResponse(status, body));
  req.raw.resume();
  lingerAfter(socket);
}
