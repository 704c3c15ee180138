import {strict as assert} from "node:assert";
import {parseHeadEvent} from "../../../../src/validator/api/eventStream.ts";
import {SseParser} from "../../../../src/validator/api/sse.ts";
import {BeaconApiError} from "../../../../src/validator/api/errors.ts";

describe("validator / api: server-sent events", () => {
  it("dispatches on a blank line, joins data lines, skips comments", () => {
    const p = new SseParser();
    assert.deepEqual(p.push(": heartbeat\n\nevent: head\ndata: {\"a\":1}\n\n"), [{event: "head", data: '{"a":1}'}]);
    assert.deepEqual(p.push("data: one\ndata: two\n\n"), [{event: "message", data: "one\ntwo"}]);
    assert.deepEqual(p.push("event: block\n\n"), [], "an event without data is not dispatched");
    assert.deepEqual(p.push("data:x\n\n"), [{event: "message", data: "x"}], "the event name does not leak into the next event");
  });

  it("reassembles events split anywhere across chunks, with LF, CRLF or CR line ends", () => {
    const text = "event: head\r\ndata: {\"slot\":\"1\"}\r\n\r\nevent: head\rdata: 2\r\rdata: 3\n\n";
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      assert.deepEqual(got, [
        {event: "head", data: '{"slot":"1"}'},
        {event: "head", data: "2"},
        {event: "message", data: "3"},
      ], `split at ${cut}`);
    }
  });

  it("decodes a head event of the API's example and refuses a malformed one", () => {
    const root = (b: string): string => "0x" + b.repeat(64);
    const e = parseHeadEvent(
      JSON.stringify({
        slot: "10",
        block: root("a"),
        state: root("b"),
        epoch_transition: false,
        previous_duty_dependent_root: root("c"),
        current_duty_dependent_root: root("d"),
        execution_optimistic: false,
      })
    );
    assert.equal(e.slot, 10);
    assert.equal(e.executionOptimistic, false);
    assert.equal(e.previousDutyDependentRoot[0], 0xcc);
    assert.equal(e.currentDutyDependentRoot[31], 0xdd);
    assert.throws(() => parseHeadEvent('{"slot":"x"}'), (err: unknown) => err instanceof BeaconApiError && err.code === "BEACON_API_BAD_RESPONSE" && /slot/.test(err.message));
    assert.throws(() => parseHeadEvent("not json"), BeaconApiError);
  });
});
