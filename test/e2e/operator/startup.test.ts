/**
 * The start-up defects of issue 13 as a user meets them, each command run as a real process:
 * refused with one line naming the key and both values, or handled, and nothing left half-made.
 */
import {strict as assert} from "node:assert";
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {createServer, type Server} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {exited, restUrl, ROOT, runGnomon, stopProcess, type Proc} from "../helpers/processes.ts";

/** Resolves when a line matches; rejects when the process exits first. */
function lineMatching(p: Proc, re: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hit = p.lines.find((l) => re.test(l));
    if (hit !== undefined) return resolve(hit);
    p.onLine((l) => {
      if (re.test(l)) resolve(l);
    });
    p.proc.once("exit", (code) => reject(new Error(`${what}: exited (${code}) first:\n${p.lines.join("\n")}`)));
  });
}

async function run(args: string[]): Promise<{code: number | null; lines: string[]}> {
  const p = runGnomon(args);
  const code = await exited(p);
  // The line reader may still hold the last lines.
  await new Promise((r) => setTimeout(r, 50));
  return {code, lines: p.lines};
}

describe("e2e operator: start-up refusals, atomic and interruptible starts", function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-startup-"));
  });
  after(() => rmSync(dir, {recursive: true, force: true}));

  it("(1) a chain made by `gnomon dev` refuses --seconds-per-slot 2 and --config genesis/devnet.yaml, one line each", async () => {
    const data = join(dir, "dev");
    const dev = runGnomon(["dev", "--validators", "64", "--data-dir", data, "--rest-port", "0", "--log-level", "info"]);
    await restUrl(dev, "gnomon dev");
    assert.equal(await stopProcess(dev), 0);

    const faster = await run(["dev", "--validators", "64", "--seconds-per-slot", "2", "--data-dir", data, "--rest-port", "0"]);
    assert.equal(faster.code, 2);
    const line = faster.lines.find((l) => l.startsWith("gnomon: error:"));
    assert.match(line ?? "", /^gnomon: error: the data dir's chain has SECONDS_PER_SLOT=6, not SECONDS_PER_SLOT=2 \(leave the flag out, or use another --data-dir\)$/);

    const devnet = await run(["beacon", "--config", join(ROOT, "genesis/devnet.yaml"), "--data-dir", data, "--rest-port", "0"]);
    assert.equal(devnet.code, 2);
    assert.match(devnet.lines.join("\n"), /gnomon: error: the data dir's chain has GENESIS_FORK_VERSION=0x00000001, not GENESIS_FORK_VERSION=0x00676e6d; also /);
  });

  it("(2) a genesis state and a config that disagree are refused, and nothing is created", async () => {
    const g = join(dir, "g.ssz");
    const made = await run(["genesis", "--validators", "64", "--genesis-time", "1700000000", "--preset", "minimal", "--out", g]);
    assert.equal(made.code, 0, made.lines.join("\n"));
    const data = join(dir, "mismatch");
    const r = await run(["beacon", "--genesis-state", g, "--config", join(ROOT, "genesis/devnet.yaml"), "--data-dir", data, "--rest-port", "0"]);
    assert.equal(r.code, 2);
    assert.match(r.lines.join("\n"), /has fork version 0x00000001, but the config's GENESIS_FORK_VERSION is 0x00676e6d/);
    assert.equal(existsSync(data), false);
    // The same file with the default (mainnet) preset: its own preset is taken, or named.
    const named = await run(["beacon", "--genesis-state", g, "--preset", "mainnet", "--data-dir", data, "--rest-port", "0"]);
    assert.equal(named.code, 2);
    assert.match(named.lines.join("\n"), /is a minimal-preset state, but the node runs the mainnet preset \(give --preset minimal\)/);
    assert.equal(existsSync(data), false);
  });

  it("(3) a failed start (port in use, no genesis) leaves no data dir; SIGINT while building a 4,096-validator genesis stops at once", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as {port: number}).port;
    try {
      const data = join(dir, "port");
      const r = await run(["beacon", "--preset", "minimal", "--interop-validators", "64", "--genesis-time", "1700000000", "--data-dir", data, "--rest-port", String(port)]);
      assert.equal(r.code, 1);
      assert.match(r.lines.join("\n"), /REST_LISTEN_FAILED/);
      assert.equal(existsSync(data), false);
    } finally {
      blocker.close();
    }
    const none = join(dir, "none");
    const r = await run(["beacon", "--data-dir", none, "--rest-port", "0"]);
    assert.equal(r.code, 2);
    assert.equal(existsSync(none), false);

    const big = join(dir, "big");
    const dev = runGnomon(["dev", "--validators", "4096", "--data-dir", big, "--rest-port", "0", "--log-level", "info"]);
    await lineMatching(dev, /interop genesis: \d+\/4096 deposits/, "genesis progress");
    assert.equal(await stopProcess(dev, "SIGINT"), 130);
    assert.match(dev.lines.join("\n"), /start-up interrupted: nothing was kept/);
    assert.equal(existsSync(big), false);
  });

  it("(4) a --beacon-node URL with a path is a clear error", async () => {
    const r = await run(["validator", "--beacon-node", "http://127.0.0.1:5052/eth/v1", "--interop-indices", "0", "--data-dir", join(dir, "vc")]);
    assert.equal(r.code, 2);
    assert.match(r.lines.join("\n"), /gnomon: error: --beacon-node must be the node's base URL without a path \(http:\/\/127\.0\.0\.1:5052\)/);
  });

  it("(5) the node says when it waits for genesis; package.json's engines accept the Node that runs npm install", async () => {
    const data = join(dir, "later");
    const genesisTime = Math.floor(Date.now() / 1000) + 600;
    const node = runGnomon(["beacon", "--preset", "minimal", "--interop-validators", "8", "--genesis-time", String(genesisTime), "--data-dir", data, "--rest-port", "0", "--log-level", "info"]);
    const line = await lineMatching(node, /waiting for genesis: \d+ s/, "the waiting line");
    assert.ok(line.includes(String(genesisTime)));
    assert.equal(await stopProcess(node), 0);

    // npm warns (EBADENGINE) when the Node running it is outside `engines`: the machine's own
    // Node runs `npm install`; the project's Node 24 comes from node_modules.
    const engines = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {engines: {node: string}}).engines.node;
    const min = /^>=\s*(\d+)(?:\.(\d+))?/.exec(engines);
    assert.ok(min !== null, `engines.node is a lower bound: ${engines}`);
    assert.ok(Number(min[1]) <= 20, `npm install on Node 20 must not warn: engines.node is ${engines}`);
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    assert.equal(/npx gnomon/.test(readme), false, "npx gnomon fetches a package named gnomon from the registry instead of running the checkout");
  });
});
