import {strict as assert} from "node:assert";
import {get as httpGet, type IncomingMessage, type ClientRequest} from "node:http";
import {createApiServer, type ApiServer} from "../../../src/api/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {createDevChain, type DevChain} from "./helpers/devChain.ts";

interface Stream {
  res: IncomingMessage;
  req: ClientRequest;
  text(): string;
  /** Resolves once the received text matches `re` (or rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  ended: Promise<void>;
}

function open(url: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, (res) => {
      let buf = "";
      const waiters: {re: RegExp; resolve: (s: string) => void}[] = [];
      const ended = new Promise<void>((r) => res.on("close", () => r()));
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buf += chunk;
        for (const w of [...waiters]) {
          const m = w.re.exec(buf);
          if (m !== null) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(m[0]);
          }
        }
      });
      resolve({
        res,
        req,
        text: () => buf,
        ended,
        waitFor: (re, ms = 5000) =>
          new Promise((res2, rej2) => {
            const m = re.exec(buf);
            if (m !== null) return res2(m[0]);
            const t = setTimeout(() => rej2(new Error(`timed out waiting for ${re}; got ${JSON.stringify(buf)}`)), ms);
            waiters.push({re, resolve: (s) => (clearTimeout(t), res2(s))});
          }),
      });
    });
    req.on("error", reject);
  });
}

function dataOf(frame: string): any {
  return JSON.parse(frame.split("\n").find((l) => l.startsWith("data: "))!.slice(6));
}

describe("api: event stream", function () {
  let dev: DevChain;
  let server: ApiServer;
  let base: string;

  before(async () => {
    dev = await createDevChain();
    server = createApiServer(dev.chain, {port: 0, heartbeatMs: 50});
    base = await server.listen();
  });
  after(async () => {
    await server.close();
    await dev.close();
    useNetwork("mainnet");
  });

  it("streams head and block events of an imported block, and keeps the stream alive", async () => {
    const s = await open(`${base}/eth/v1/events?topics=head,block&topics=head_v2`);
    assert.equal(s.res.statusCode, 200);
    assert.equal(s.res.headers["content-type"], "text/event-stream");
    await dev.advanceTo(1);
    const signed = await dev.proposeBlock(1);
    const root = toHex(ssz.BeaconBlock.hashTreeRoot(signed.message));
    const block = dataOf(await s.waitFor(/event: block\ndata: .*\n\n/));
    assert.deepEqual(block, {slot: "1", block: root, execution_optimistic: false});
    const head = dataOf(await s.waitFor(/event: head\ndata: .*\n\n/));
    assert.equal(head.block, root);
    assert.equal(head.state, toHex(signed.message.state_root));
    assert.equal(head.slot, "1");
    assert.equal(head.epoch_transition, false);
    assert.equal(head.current_duty_dependent_root, toHex(dev.chain.genesis.genesisBlockRoot));
    const v2 = dataOf(await s.waitFor(/event: head_v2\ndata: .*\n\n/));
    assert.equal(v2.version, "phase0");
    assert.equal(v2.data.block, root);
    await s.waitFor(/: heartbeat\n\n/);
    s.req.destroy();
  });

  it("streams attestations accepted through the API", async () => {
    const s = await open(`${base}/eth/v1/events?topics=attestation`);
    await dev.advanceTo(1, 2000);
    const data = await dev.chain.produceAttestationData(1, 0);
    const [att] = dev.attestations(1, () => data);
    const res = await server.app.inject({method: "POST", url: "/eth/v1/beacon/pool/attestations", payload: [ssz.Attestation.toJson(att)]});
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(dataOf(await s.waitFor(/event: attestation\ndata: .*\n\n/)), ssz.Attestation.toJson(att));
    s.req.destroy();
  });

  it("unsubscribes a client that goes away", async () => {
    const before = dev.chain.events.listenerCount("finalized_checkpoint");
    const s = await open(`${base}/eth/v1/events?topics=finalized_checkpoint,chain_reorg`);
    await s.waitFor(/: heartbeat\n\n/);
    assert.equal(dev.chain.events.listenerCount("finalized_checkpoint"), before + 1);
    s.req.destroy();
    for (let i = 0; i < 50 && dev.chain.events.listenerCount("finalized_checkpoint") > before; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(dev.chain.events.listenerCount("finalized_checkpoint"), before);
    assert.equal(dev.chain.events.listenerCount("chain_reorg"), 0);
  });

  it("refuses missing or unknown topics with 400, accepts topics of later forks", async () => {
    for (const [q, re] of [["", /Missing topics/], ["?topics=", /Missing topics/], ["?topics=head,gossip_everything", /Invalid topic/]] as const) {
      const r = await fetch(`${base}/eth/v1/events${q}`);
      assert.equal(r.status, 400);
      const body = (await r.json()) as {code: number; message: string};
      assert.equal(body.code, 400);
      assert.match(body.message, re);
    }
    const s = await open(`${base}/eth/v1/events?topics=contribution_and_proof,head`);
    assert.equal(s.res.statusCode, 200);
    s.req.destroy();
  });

  it("ends open streams when the server closes", async () => {
    const other = createApiServer(dev.chain, {port: 0, heartbeatMs: 1000});
    const url = await other.listen();
    const s = await open(`${url}/eth/v1/events?topics=head`);
    await other.close();
    await s.ended;
    assert.equal(other.address, null);
  });
});
