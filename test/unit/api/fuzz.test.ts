/**
 * A short seeded run of the fuzz harness (test/fuzz): the REST API of a real chain over real
 * sockets, SSZ decoding of every type, the snappy decoder, gossip decoding, req/resp frames,
 * JSON-RPC answers. A finding prints as a replayable case.
 * `npm run fuzz -- --duration 10m` runs the same against `gnomon dev` for longer.
 */
import {strict as assert} from "node:assert";
import {inProcessTargets} from "../../fuzz/targets/index.ts";
import {runInProcess, runRest, type Finding} from "../../fuzz/runner.ts";
import {listeningApi, type ListeningApi} from "./helpers/listening.ts";

const SEED = 20261206;

function report(findings: Finding[]): string {
  return findings.map((f) => `${f.violation}\n  replay: npm run fuzz -- --replay '${JSON.stringify(f.replay)}'`).join("\n");
}

describe("fuzz: short seeded run", function () {
  this.timeout(180_000);

  describe("REST API", () => {
    let api: ListeningApi;
    before(async () => {
      api = await listeningApi();
      await api.dev.advanceTo(1);
      await api.dev.proposeBlock(1);
    });
    after(() => api.close());

    it("300 requests: no 5xx, every error body {code, message}, every request answered", async () => {
      const r = await runRest({url: api.url, seed: SEED, count: 300});
      assert.equal(r.sent, 300);
      assert.equal(r.findings.length, 0, report(r.findings));
      // The run exercised refusals and successes both, or it checked nothing.
      assert.ok(r.errorBodies > 100, `${r.errorBodies} error answers`);
      assert.ok((r.byStatus.get(200) ?? 0) > 10, `status counts ${JSON.stringify([...r.byStatus])}`);
    });
  });

  for (const target of inProcessTargets()) {
    it(`${target.name}: ${target.description}`, async () => {
      const finding = await runInProcess(target, SEED, 300);
      assert.equal(finding, null, finding === null ? "" : report([finding]));
    });
  }
});
