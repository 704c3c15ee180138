import {strict as assert} from "node:assert";
import {negotiate, parseAccept, mediaTypeOf, JSON_TYPE, SSZ_TYPE} from "../../../src/api/http/negotiate.ts";

const BOTH = [JSON_TYPE, SSZ_TYPE] as const;

describe("api: content negotiation", () => {
  it("defaults to JSON without an Accept header", () => {
    assert.equal(negotiate(undefined, BOTH), JSON_TYPE);
    assert.equal(negotiate("", BOTH), JSON_TYPE);
  });

  it("honours q-values as validator clients send them", () => {
    assert.equal(negotiate("application/octet-stream;q=1,application/json;q=0.9", BOTH), SSZ_TYPE);
    assert.equal(negotiate("application/octet-stream;q=1.0,application/json;q=0.9", BOTH), SSZ_TYPE);
    assert.equal(negotiate("application/json;q=1,application/octet-stream;q=0.5", BOTH), JSON_TYPE);
    assert.equal(negotiate("application/json; q=0.2, application/octet-stream; q=0.3", BOTH), SSZ_TYPE);
  });

  it("breaks ties by the client's order, and wildcards by the server's preference", () => {
    assert.equal(negotiate("application/octet-stream, application/json", BOTH), SSZ_TYPE);
    assert.equal(negotiate("application/json, application/octet-stream", BOTH), JSON_TYPE);
    assert.equal(negotiate("*/*", BOTH), JSON_TYPE);
    assert.equal(negotiate("application/*", BOTH), JSON_TYPE);
    assert.equal(negotiate("text/html,application/xhtml+xml,*/*;q=0.8", BOTH), JSON_TYPE);
  });

  it("lets a specific range override a wildcard, including q=0 exclusions", () => {
    assert.equal(negotiate("*/*;q=0.5, application/octet-stream", BOTH), SSZ_TYPE);
    assert.equal(negotiate("*/*, application/json;q=0", BOTH), SSZ_TYPE);
  });

  it("returns null when nothing offered is acceptable (406)", () => {
    assert.equal(negotiate("text/html", BOTH), null);
    assert.equal(negotiate("application/octet-stream", [JSON_TYPE]), null);
    assert.equal(negotiate("application/json;q=0", [JSON_TYPE]), null);
  });

  it("drops malformed ranges instead of failing", () => {
    assert.equal(negotiate("garbage;;, application/octet-stream", BOTH), SSZ_TYPE);
    assert.equal(negotiate("application/octet-stream;q=abc, application/json", BOTH), JSON_TYPE);
    assert.equal(negotiate("nonsense", BOTH), JSON_TYPE);
    assert.deepEqual(
      parseAccept("application/json;q=0.9, */*;q=0.1").map((r) => [r.type, r.subtype, r.q]),
      [
        ["application", "json", 0.9],
        ["*", "*", 0.1],
      ]
    );
  });

  it("reads the media type of a Content-Type header", () => {
    assert.equal(mediaTypeOf("application/json; charset=utf-8"), JSON_TYPE);
    assert.equal(mediaTypeOf("Application/Octet-Stream"), SSZ_TYPE);
    assert.equal(mediaTypeOf(undefined), undefined);
    assert.equal(mediaTypeOf(""), undefined);
  });
});
