/**
 * `gnomon dev --metrics --log-file` as a real process (64 validators, 1-second slots): its
 * /metrics parses as Prometheus text and follows the REST API; a second validator client with
 * doppelganger protection on the same keys refuses to sign and exits 1 while the first keeps
 * attesting; the log file holds the terminal's lines; slashing-protection export finds the
 * history in the dev data dir and creates nothing for a mistyped one.
 */
import {strict as assert} from "node:assert";
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parsePrometheusText} from "../../unit/metrics/prometheusText.ts";
import {exited, getJson, restUrl, runGnomon, sleep, stopProcess, type Proc} from "../helpers/processes.ts";

const SLOTS_PER_EPOCH = 8;

async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function metricsUrl(p: Proc): Promise<string> {
  return waitFor("the metrics line", 60_000, async () => {
    for (const l of p.lines) {
      const m = /"url":"(http:\/\/127\.0\.0\.1:\d+\/metrics)"/.exec(l);
      if (m !== null) return m[1];
    }
    return undefined;
  });
}

describe("e2e operator: gnomon dev --metrics --log-file, doppelganger protection, slashing-protection paths", function () {
  this.timeout(240_000);
  let dir: string;
  let dev: Proc | undefined;
  let second: Proc | undefined;
  let url: string;
  let metrics: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-operator-"));
    dev = runGnomon([
      "dev", "--validators", "64", "--seconds-per-slot", "1", "--data-dir", join(dir, "dev"), "--rest-port", "0",
      "--metrics", "--metrics-port", "0", "--log-file", join(dir, "logs", "dev.log"), "--log-level", "info",
    ]);
    url = await restUrl(dev, "gnomon dev");
    metrics = await metricsUrl(dev);
  });

  after(async () => {
    await stopProcess(second, "SIGKILL");
    await stopProcess(dev, "SIGKILL");
    rmSync(dir, {recursive: true, force: true});
  });

  it("serves Prometheus text whose head slot and finalized epoch are the REST API's", async () => {
    await waitFor("finality", 120_000, async () => {
      const f = await getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`);
      return Number(f.data.finalized.epoch) >= 1 ? true : undefined;
    });
    // The chain moves every second: read the API before and after the scrape and expect the
    // metric between the two.
    const headBefore = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    const finBefore = Number((await getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.epoch);
    const res = await fetch(metrics);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const m = parsePrometheusText(await res.text());
    const headAfter = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    const finAfter = Number((await getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.epoch);
    const head = m.get("beacon_head_slot")!;
    const fin = m.get("beacon_finalized_epoch")!;
    assert.ok(head >= headBefore && head <= headAfter, `head ${head} not in [${headBefore}, ${headAfter}]`);
    assert.ok(fin >= finBefore && fin <= finAfter, `finalized ${fin} not in [${finBefore}, ${finAfter}]`);
    assert.ok(fin >= 1);
    assert.ok(m.get('vc_published_total{duty="attestation"}')! > 0);
    assert.ok(m.get('vc_published_total{duty="block"}')! > 0);
    assert.equal(m.get('vc_validators{status="active_ongoing"}'), 64);
    assert.ok(m.get('beacon_block_import_seconds_count{source="api"}')! > 0);
  });

  it("gnomon beacon --checkpoint-sync-url starts from the devnet's finalized block and state and serves them", async () => {
    const config = join(dir, "dev-config.yaml");
    writeFileSync(config, "PRESET_BASE: minimal\nSECONDS_PER_SLOT: 1\n");
    const synced = runGnomon(["beacon", "--config", config, "--checkpoint-sync-url", url, "--data-dir", join(dir, "synced"), "--rest-port", "0", "--log-level", "info"]);
    try {
      const syncedUrl = await restUrl(synced, "the checkpoint-synced node");
      const range = (await getJson(`${syncedUrl}/gnomon/v1/node/block_range`)).data;
      assert.equal(range.from_genesis, false);
      // The anchor is a block the devnet has finalized, served byte for byte by both nodes.
      const fromSource = await fetch(`${url}/eth/v2/beacon/blocks/${range.oldest_root}`, {headers: {accept: "application/octet-stream"}});
      const fromSynced = await fetch(`${syncedUrl}/eth/v2/beacon/blocks/finalized`, {headers: {accept: "application/octet-stream"}});
      assert.deepEqual(Buffer.from(await fromSynced.arrayBuffer()), Buffer.from(await fromSource.arrayBuffer()));
      const header = (await getJson(`${url}/eth/v1/beacon/headers/${range.oldest_root}`)).data;
      assert.equal(header.canonical, true);
      assert.equal(header.header.message.slot, range.oldest_slot);
      assert.ok(synced.lines.some((l) => l.includes("checkpoint sync: anchor verified")));
    } finally {
      assert.equal(await stopProcess(synced), 0);
    }
  });

  it("a second client on the same keys with doppelganger protection signs nothing and exits 1; the first keeps attesting", async () => {
    second = runGnomon([
      "validator", "--beacon-node", url, "--interop-indices", "0..63", "--data-dir", join(dir, "second"), "--doppelganger-protection", "--log-level", "info",
    ]);
    const code = await exited(second);
    await sleep(50);
    assert.equal(code, 1, second.lines.join("\n"));
    const line = second.lines.find((l) => l.includes("doppelganger detected"));
    assert.ok(line !== undefined, second.lines.join("\n"));
    assert.match(line, /validator\(s\) [\d, ]+ live elsewhere in epoch \d+/);
    assert.ok(!second.lines.some((l) => /"msg":"(attestation|block proposal) failed"/.test(l)));

    // Its slashing-protection history is empty: it signed nothing.
    const exported = join(dir, "second.json");
    const ex = runGnomon(["validator", "slashing-protection", "export", "--out", exported, "--data-dir", join(dir, "second"), "--beacon-node", url]);
    assert.equal(await exited(ex), 0, ex.lines.join("\n"));
    const interchange = JSON.parse(readFileSync(exported, "utf8")) as {data: {signed_attestations: unknown[]; signed_blocks: unknown[]}[]};
    assert.equal(interchange.data.reduce((n, d) => n + d.signed_attestations.length + d.signed_blocks.length, 0), 0);

    // The first client's validators are all live in the next full epoch.
    const slot = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
    const epoch = Math.floor(slot / SLOTS_PER_EPOCH) + 1;
    await waitFor(`epoch ${epoch + 1}`, 60_000, async () => {
      const s = Number((await getJson(`${url}/eth/v1/beacon/headers/head`)).data.header.message.slot);
      return s >= (epoch + 1) * SLOTS_PER_EPOCH ? true : undefined;
    });
    const live = await getJson(`${url}/eth/v1/validator/liveness/${epoch}`, {
      method: "POST",
      headers: {"content-type": "application/json"},
      body: JSON.stringify(Array.from({length: 64}, (_, i) => String(i))),
    });
    assert.equal((live.data as {is_live: boolean}[]).filter((l) => l.is_live).length, 64);
  });

  it("writes the terminal's lines to the rotated log file, one JSON line each", () => {
    const files = readdirSync(join(dir, "logs"));
    assert.deepEqual(files, ["dev.1.log"]);
    const lines = readFileSync(join(dir, "logs", "dev.1.log"), "utf8").split("\n").filter((l) => l !== "");
    const msgs = lines.map((l) => (JSON.parse(l) as {msg: string}).msg);
    assert.ok(msgs.some((m) => /^slot \d+ epoch \d+ \| head/.test(m)));
    assert.ok(msgs.includes("validator client started"));
    // Every file line was on the terminal too.
    const terminal = new Set(dev!.lines);
    assert.ok(lines.slice(0, 20).every((l) => terminal.has(l)));
  });

  it("slashing-protection export finds gnomon dev's history from its data dir, and creates nothing for a mistyped one", async () => {
    const gvr = (await getJson(`${url}/eth/v1/beacon/genesis`)).data.genesis_validators_root as string;
    assert.equal(await stopProcess(dev), 0);
    const out = join(dir, "dev.json");
    const ex = runGnomon(["validator", "slashing-protection", "export", "--out", out, "--data-dir", join(dir, "dev"), "--genesis-validators-root", gvr]);
    assert.equal(await exited(ex), 0, ex.lines.join("\n"));
    await sleep(50);
    assert.match(ex.lines.join("\n"), new RegExp(`exported 64 validators \\(\\d+ blocks, \\d+ attestations\\) from ${join(dir, "dev", "validator", "slashing-protection")}`));
    const typo = join(dir, "dve");
    const bad = runGnomon(["validator", "slashing-protection", "export", "--out", join(dir, "x.json"), "--data-dir", typo, "--genesis-validators-root", gvr]);
    assert.equal(await exited(bad), 2);
    await sleep(50);
    assert.match(bad.lines.join("\n"), /no slashing-protection database found \(looked in .*dve\/slashing-protection, .*dve\/validator\/slashing-protection\)/);
    assert.equal(existsSync(typo), false);
    const imp = runGnomon(["validator", "slashing-protection", "import", out, "--data-dir", join(typo, "vc"), "--genesis-validators-root", gvr]);
    assert.equal(await exited(imp), 2);
    assert.equal(existsSync(typo), false);
  });
});
