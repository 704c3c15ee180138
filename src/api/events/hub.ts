/**
 * Fans chain events out to event-stream subscribers. One chain listener per topic while anyone
 * listens, and each event is serialized once however many streams carry it. A listener never
 * throws back into the chain: a failed serialization is logged and dropped.
 */
import type {EventEmitter} from "node:events";
import type {ChainEvents} from "../../chain/interface.ts";
import type {Logger} from "../../util/logger.ts";
import {TOPIC_SOURCES, type Topic} from "./topics.ts";

export type Frame = string;
type Subscriber = (frame: Frame) => void;

export class EventHub {
  private readonly emitter: EventEmitter<ChainEvents>;
  private readonly logger: Logger;
  private readonly subscribers = new Map<Topic, Set<Subscriber>>();
  private readonly listeners = new Map<Topic, (payload: unknown) => void>();

  constructor(emitter: EventEmitter<ChainEvents>, logger: Logger) {
    this.emitter = emitter;
    this.logger = logger;
  }

  /** Subscribes to `topics`; returns the unsubscribe. */
  subscribe(topics: readonly Topic[], fn: Subscriber): () => void {
    for (const t of topics) {
      let set = this.subscribers.get(t);
      if (set === undefined) {
        set = new Set();
        this.subscribers.set(t, set);
        this.attach(t);
      }
      set.add(fn);
    }
    return () => {
      for (const t of topics) {
        const set = this.subscribers.get(t);
        if (set === undefined) continue;
        set.delete(fn);
        if (set.size === 0) {
          this.subscribers.delete(t);
          this.detach(t);
        }
      }
    };
  }

  subscriberCount(topic: Topic): number {
    return this.subscribers.get(topic)?.size ?? 0;
  }

  private attach(topic: Topic): void {
    const source = TOPIC_SOURCES[topic];
    const listener = (payload: unknown): void => {
      let frame: Frame;
      try {
        frame = `event: ${topic}\ndata: ${JSON.stringify((source.toJson as (p: unknown) => unknown)(payload))}\n\n`;
      } catch (e) {
        this.logger.warn({err: e, topic}, "cannot serialize event");
        return;
      }
      for (const fn of [...(this.subscribers.get(topic) ?? [])]) {
        try {
          fn(frame);
        } catch (e) {
          this.logger.warn({err: e, topic}, "event subscriber failed");
        }
      }
    };
    this.listeners.set(topic, listener);
    (this.emitter as EventEmitter).on(source.event, listener);
  }

  private detach(topic: Topic): void {
    const listener = this.listeners.get(topic);
    if (listener === undefined) return;
    this.listeners.delete(topic);
    (this.emitter as EventEmitter).off(TOPIC_SOURCES[topic].event, listener);
  }
}
