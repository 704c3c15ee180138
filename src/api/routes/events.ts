/**
 * GET /eth/v1/events?topics=...: Server-Sent Events. Topics may be comma-separated or repeated.
 * A comment line every heartbeat keeps proxies from closing an idle stream; a client that goes
 * away is unsubscribed at once, and one that stops reading is cut off before its backlog grows
 * without bound.
 */
import {every} from "../../clock/index.ts";
import type {RouteGroup} from "../context.ts";
import {badRequest} from "../errors.ts";
import {parseList} from "../params.ts";
import {EventHub} from "../events/hub.ts";
import {EMITTED_TOPICS, SILENT_TOPICS, type Topic} from "../events/topics.ts";

/** Unsent bytes a stream may hold before the client counts as stalled. */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;

function parseTopics(raw: unknown): Topic[] {
  const items = parseList(raw);
  if (items === undefined || items.length === 0) throw badRequest("Missing topics");
  const out = new Set<Topic>();
  for (const t of items) {
    if ((EMITTED_TOPICS as readonly string[]).includes(t)) out.add(t as Topic);
    else if (!(SILENT_TOPICS as readonly string[]).includes(t)) {
      throw badRequest(`Invalid topic: "${t.slice(0, 60)}" (supported: ${EMITTED_TOPICS.join(", ")})`);
    }
  }
  return [...out];
}

export const eventRoutes: RouteGroup = (app, ctx) => {
  const hub = new EventHub(ctx.chain.events, ctx.logger);

  app.get("/eth/v1/events", async (req, reply) => {
    const topics = parseTopics((req.query as Record<string, unknown>).topics);
    reply.hijack();
    const res = reply.raw;
    const headers: Record<string, string> = {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    };
    // Headers set by hooks (CORS) are not sent by fastify on a hijacked reply.
    for (const [k, v] of Object.entries(reply.getHeaders())) if (typeof v === "string") headers[k] = v;
    res.writeHead(200, headers);
    res.flushHeaders();

    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      unsubscribe();
      stopHeartbeat();
      unregister();
      if (!res.writableEnded) res.end();
    };
    const send = (frame: string): void => {
      if (closed) return;
      if (res.writableLength > MAX_BACKLOG_BYTES) {
        ctx.logger.warn({url: req.url}, "event stream client is not reading: closing the stream");
        close();
        res.destroy();
        return;
      }
      res.write(frame);
    };
    const unsubscribe = hub.subscribe(topics, send);
    const stopHeartbeat = every(ctx.time, ctx.heartbeatMs, () => send(": heartbeat\n\n"));
    const unregister = ctx.onClose(close);
    req.raw.on("close", close);
    res.on("close", close);
    res.on("error", close);
  });
};
