/**
 * Sends a case over its own TCP connection exactly as written (no client library normalizes the
 * path or refuses odd headers) and reads the whole answer.
 */
import {connect} from "node:net";
import type {RestCase} from "./requests.ts";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  ms: number;
}

function requestBytes(c: RestCase, host: string): Buffer {
  if ("raw" in c) return Buffer.from(c.raw, "latin1");
  const body = c.body !== undefined ? Buffer.from(c.body, "utf8") : c.bodyHex !== undefined ? Buffer.from(c.bodyHex, "hex") : undefined;
  const lines = [`${c.method} ${c.target} HTTP/1.1`, `Host: ${host}`, "Connection: close"];
  for (const [k, v] of Object.entries(c.headers)) lines.push(`${k}: ${v}`);
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(lines.join("\r\n") + "\r\n\r\n", "utf8");
  return body === undefined ? head : Buffer.concat([head, body]);
}

function parse(bytes: Buffer): Omit<RawResponse, "ms"> | null {
  const end = bytes.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const [statusLine, ...headerLines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) return null;
  const headers: Record<string, string> = {};
  for (const l of headerLines) {
    const i = l.indexOf(":");
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = bytes.subarray(end + 4);
  if (headers["transfer-encoding"]?.includes("chunked")) {
    const parts: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const lineEnd = body.indexOf("\r\n", pos);
      if (lineEnd < 0) break;
      const size = parseInt(body.subarray(pos, lineEnd).toString(), 16);
      if (!(size > 0)) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      pos = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return {status, headers, body};
}

/** The answer, or null when the connection closed without one; rejects after `timeoutMs`. */
export function send(url: string, c: RestCase, timeoutMs: number): Promise<RawResponse | null> {
  const {hostname, port, host} = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const r = parse(Buffer.concat(chunks));
      resolve(r === null ? null : {...r, ms: performance.now() - started});
    };
    const timer = setTimeout(() => {
      done = true;
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (d) => chunks.push(d));
    socket.on("end", finish);
    socket.on("close", finish);
    // The server may answer (413, 431) and close before the whole request is written: writing
    // stops at its first byte, since more data into a closed socket makes the peer reset the
    // connection and the answer would be lost.
    socket.on("error", finish);
    const bytes = requestBytes(c, host);
    const CHUNK = 64 * 1024;
    let offset = 0;
    const writeMore = (): void => {
      while (offset < bytes.length && chunks.length === 0 && !socket.destroyed) {
        const part = bytes.subarray(offset, offset + CHUNK);
        offset += part.length;
        if (!socket.write(part)) {
          socket.once("drain", writeMore);
          return;
        }
      }
    };
    writeMore();
  });
}
