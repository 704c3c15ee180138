/**
 * `gnomon beacon` and `gnomon validator --interop-indices 0..63` as two processes (minimal
 * preset, 2-second slots, temp dirs, any free port): the chain finalizes, and a validator client
 * killed with SIGKILL in the middle of a slot and started again publishes nothing slashable.
 *
 * What counts is what the client sent to the node, not what reached a block (the node's own
 * dedup keeps a double vote out of blocks) nor what the client's database says it signed: the
 * client talks to the node through a recording pass-through proxy, and every attestation and
 * block it published is checked, by validator, for double and surround votes and double proposals.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {createServer, request, type IncomingHttpHeaders, type Server} from "node:http";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {typesFor} from "../../../src/types/index.ts";
import {getJson, runGnomon, sleep, startInteropBeacon, stopProcess, type Proc} from "../helpers/processes.ts";

/** A message the validator client published: the REST path it was posted to and its body as JSON. */
interface Published {
  path: string;
  body: unknown;
}

const minimalTypes = typesFor("minimal");

/** Submissions worth recording: attestations and blocks (aggregates only repeat others' votes). */
const RECORDED = /^\/eth\/v[12]\/beacon\/(pool\/attestations|blocks)(\?|$)/;

/** Headers without the hop-by-hop ones: each side of the proxy manages its own connection. */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(k.toLowerCase())) out[k] = v;
  }
  return out;
}
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host"]);

/**
 * An HTTP pass-through to `target` on a free port that records every POST to RECORDED paths
 * as the node receives it. Event streams pass through unbuffered.
 */
async function recordingProxy(target: string, published: Published[]): Promise<{url: string; server: Server}> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? "/";
      if (req.method === "POST" && RECORDED.test(path)) {
        // Blocks go as SSZ: decoded here exactly as the node decodes them.
        const ssz = (req.headers["content-type"] ?? "").startsWith("application/octet-stream");
        const json = ssz ? minimalTypes.SignedBeaconBlock.toJson(minimalTypes.SignedBeaconBlock.deserialize(body)) : JSON.parse(body.toString("utf8"));
        published.push({path, body: json});
      }
      const up = request(new URL(path, target), {method: req.method, headers: endToEnd(req.headers)}, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, endToEnd(upRes.headers));
        upRes.pipe(res);
      });
      up.on("error", () => res.destroy());
      res.on("close", () => up.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address !== "object") throw new Error("proxy did not bind");
  return {url: `http://127.0.0.1:${address.port}`, server};
}

const SLOT_MS = 2000;
const SLOTS_PER_EPOCH = 8;

describe("e2e: gnomon beacon + gnomon validator as two processes", function () {
  this.timeout(300_000);
  let dir: string;
  let beacon: Proc | undefined;
  let vc: Proc | undefined;
  let url: string;
  let proxy: {url: string; server: Server};
  const published: Published[] = [];
  let genesisTime: number;

  const currentSlot = (): number => Math.floor((Date.now() - genesisTime * 1000) / SLOT_MS);
  const untilSlot = async (slot: number, msInto = 0): Promise<void> => {
    const wait = genesisTime * 1000 + slot * SLOT_MS + msInto - Date.now();
    if (wait > 0) await sleep(wait);
  };
  const startValidator = (): Proc =>
    runGnomon(["validator", "--interop-indices", "0..63", "--beacon-node", proxy.url, "--data-dir", join(dir, "vc"), "--log-level", "info"]);
  const finalized = async (): Promise<number> =>
    Number((await getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.epoch);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-vc-"));
    genesisTime = Math.floor(Date.now() / 1000) + 6;
    ({beacon, url} = await startInteropBeacon(dir, {validators: 64, genesisTime, slotMs: SLOT_MS}));
    proxy = await recordingProxy(url, published);
  });

  after(async () => {
    await stopProcess(vc);
    proxy?.server.closeAllConnections();
    await new Promise((resolve) => proxy?.server.close(resolve) ?? resolve(undefined));
    await stopProcess(beacon);
    rmSync(dir, {recursive: true, force: true});
  });

  it("finalizes, survives a SIGKILL of the validator client, and never signs a slashable message", async () => {
    vc = startValidator();
    // Epoch 2, at a moment of the slot that varies from run to run (around the attestation point).
    const killSlot = 2 * SLOTS_PER_EPOCH + 3;
    await untilSlot(killSlot, 300 + Math.floor(Math.random() * 1000));
    assert.ok(vc.lines.some((l) => l.includes("validator client started")), vc.lines.join("\n"));
    await stopProcess(vc, "SIGKILL");
    const firstRun = vc.lines;
    vc = startValidator();

    // Finality needs every validator voting again: epoch 5 starts with epoch 3 finalized.
    await untilSlot(5 * SLOTS_PER_EPOCH, 1500);
    let fin = await finalized();
    for (let i = 0; i < SLOTS_PER_EPOCH && fin < 3; i++) {
      await sleep(SLOT_MS);
      fin = await finalized();
    }
    assert.ok(fin >= 3, `finalized epoch ${fin} at slot ${currentSlot()}`);
    assert.ok(vc.lines.some((l) => l.includes("validator client started")), vc.lines.join("\n"));

    await stopProcess(vc);

    // Every unaggregated attestation the client published, by the validator whose bit it sets:
    // the committee comes from the node, the bit position names the member.
    const committees = new Map<string, number[]>();
    const committee = async (slot: string, index: string): Promise<number[]> => {
      const key = `${slot}/${index}`;
      let members = committees.get(key);
      if (members === undefined) {
        const r = await getJson(`${url}/eth/v1/beacon/states/${slot}/committees?slot=${slot}&index=${index}`);
        members = (r.data[0].validators as string[]).map(Number);
        committees.set(key, members);
      }
      return members;
    };
    type Vote = {source: number; target: number; data: string};
    const votes = new Map<number, Vote[]>();
    let attestations = 0;
    for (const p of published.filter((m) => m.path.includes("/pool/attestations"))) {
      for (const att of p.body as {aggregation_bits: string; data: {slot: string; index: string; source: {epoch: string}; target: {epoch: string}}}[]) {
        attestations++;
        const members = await committee(att.data.slot, att.data.index);
        const bits = Buffer.from(att.aggregation_bits.slice(2), "hex");
        const signers = members.filter((_, i) => (bits[i >> 3] & (1 << (i & 7))) !== 0);
        assert.equal(signers.length, 1, `an unaggregated attestation with ${signers.length} bits: ${JSON.stringify(att)}`);
        const list = votes.get(signers[0]) ?? [];
        list.push({source: Number(att.data.source.epoch), target: Number(att.data.target.epoch), data: JSON.stringify(att.data)});
        votes.set(signers[0], list);
      }
    }
    // Epochs 0..4 at least for every validator, less the one whose slot may have fallen into the restart.
    assert.equal(votes.size, 64, `attestations of ${votes.size} validators among ${attestations} published`);
    for (const [validator, list] of votes) {
      const targets = new Set(list.map((v) => v.target));
      assert.ok(targets.size >= 4, `validator ${validator} attested in ${targets.size} epochs`);
      for (const a of list) {
        for (const b of list) {
          if (a.data === b.data) continue;
          assert.notEqual(a.target, b.target, `validator ${validator}: double vote ${a.data} vs ${b.data}`);
          assert.ok(!(a.source < b.source && b.target < a.target), `validator ${validator}: surround vote ${a.data} around ${b.data}`);
        }
      }
    }

    // Every block the client published: one per slot (a second, different one would be a double proposal).
    const blocks = new Map<string, string>();
    for (const p of published.filter((m) => m.path.includes("/beacon/blocks"))) {
      const message = (p.body as {message: {slot: string; proposer_index: string}}).message;
      const key = `${message.slot}/${message.proposer_index}`;
      const seen = blocks.get(key);
      assert.ok(seen === undefined || seen === JSON.stringify(message), `double proposal at slot ${message.slot}`);
      blocks.set(key, JSON.stringify(message));
    }
    assert.ok(blocks.size >= 4 * SLOTS_PER_EPOCH, `${blocks.size} blocks published`);

    assert.ok(!firstRun.some((l) => /"level":50/.test(l)), `errors before the kill:\n${firstRun.filter((l) => /"level":50/.test(l)).join("\n")}`);
  });
});
