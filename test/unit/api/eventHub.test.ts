import {strict as assert} from "node:assert";
import {EventEmitter} from "node:events";
import {EventHub} from "../../../src/api/events/hub.ts";
import type {ChainEvents} from "../../../src/chain/interface.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {ssz} from "../../../src/types/index.ts";

const root = (b: number) => new Uint8Array(32).fill(b);

describe("api: event hub", () => {
  it("serializes each event once in the API's JSON and fans it out to every subscriber", () => {
    const emitter = new EventEmitter<ChainEvents>();
    const hub = new EventHub(emitter, silentLogger);
    const a: string[] = [];
    const b: string[] = [];
    const unA = hub.subscribe(["head", "finalized_checkpoint"], (f) => a.push(f));
    const unB = hub.subscribe(["head_v2"], (f) => b.push(f));
    emitter.emit("head", {
      slot: 9,
      block: root(1),
      state: root(2),
      epochTransition: true,
      previousDutyDependentRoot: root(3),
      currentDutyDependentRoot: root(4),
      executionOptimistic: false,
    });
    emitter.emit("finalized_checkpoint", {block: root(5), state: root(6), epoch: 2, executionOptimistic: false});
    emitter.emit("block", {slot: 9, block: root(1), executionOptimistic: false});
    assert.equal(a.length, 2);
    assert.match(a[0], /^event: head\ndata: \{.*\}\n\n$/);
    const head = JSON.parse(a[0].split("\n")[1].slice("data: ".length));
    assert.deepEqual(head, {
      slot: "9",
      block: "0x" + "01".repeat(32),
      state: "0x" + "02".repeat(32),
      epoch_transition: true,
      previous_duty_dependent_root: "0x" + "03".repeat(32),
      current_duty_dependent_root: "0x" + "04".repeat(32),
      execution_optimistic: false,
    });
    const fin = JSON.parse(a[1].split("\n")[1].slice("data: ".length));
    assert.deepEqual(fin, {block: "0x" + "05".repeat(32), state: "0x" + "06".repeat(32), epoch: "2", execution_optimistic: false});
    const v2 = JSON.parse(b[0].split("\n")[1].slice("data: ".length));
    assert.equal(v2.version, "phase0");
    assert.equal(v2.data.current_epoch_dependent_root, "0x" + "03".repeat(32));
    assert.equal(v2.data.next_epoch_dependent_root, "0x" + "04".repeat(32));

    unA();
    unB();
    assert.equal(emitter.listenerCount("head"), 0);
    assert.equal(emitter.listenerCount("finalized_checkpoint"), 0);
  });

  it("keeps one chain listener per event while subscribed, and never throws into the chain", () => {
    const emitter = new EventEmitter<ChainEvents>();
    const hub = new EventHub(emitter, silentLogger);
    const got: string[] = [];
    const un1 = hub.subscribe(["attestation"], () => {
      throw new Error("subscriber broke");
    });
    const un2 = hub.subscribe(["attestation"], (f) => got.push(f));
    assert.equal(emitter.listenerCount("attestation"), 1);
    const att = ssz.Attestation.defaultValue();
    assert.doesNotThrow(() => emitter.emit("attestation", att));
    assert.equal(got.length, 1);
    assert.deepEqual(JSON.parse(got[0].split("\n")[1].slice(6)), ssz.Attestation.toJson(att));
    un1();
    assert.equal(emitter.listenerCount("attestation"), 1);
    un2();
    assert.equal(emitter.listenerCount("attestation"), 0);
    assert.equal(hub.subscriberCount("attestation"), 0);
  });
});
