import {strict as assert} from "node:assert";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {createServer, type Server} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {FakeTime} from "../../../src/clock/index.ts";
import {BeaconNode, readConfigFile, resolveNetwork, StartAbortedError, type BeaconNodeOptions} from "../../../src/node/index.ts";
import {useNetwork} from "../../../src/params/index.ts";
import {InputError} from "../../../src/util/errors.ts";
import {silentLogger} from "../../../src/util/logger.ts";
import {buildBlock, GENESIS_TIME, interopGenesis} from "../chain/helpers.ts";

const FAR = "18446744073709551615";
const DEV_OVERRIDES = {ALTAIR_FORK_EPOCH: FAR, BELLATRIX_FORK_EPOCH: FAR};

describe("node: a stored chain refuses a contradicting network", () => {
  const stored = {preset: "minimal", configOverrides: DEV_OVERRIDES};

  it("compares a slot time given as SECONDS_PER_SLOT with the chain's default SLOT_DURATION_MS (npm start, then --seconds-per-slot 2)", () => {
    assert.throws(
      () => resolveNetwork(stored, {configOverrides: {...DEV_OVERRIDES, SECONDS_PER_SLOT: "2"}}, "minimal"),
      (e: Error) => e instanceof InputError && /has SECONDS_PER_SLOT=6, not SECONDS_PER_SLOT=2/.test(e.message) && !e.message.includes("\n")
    );
    assert.throws(() => resolveNetwork(stored, {configOverrides: {SLOT_DURATION_MS: "2000"}}, "minimal"), /SLOT_DURATION_MS=6000, not SLOT_DURATION_MS=2000/);
    // The same slot time under either name is no contradiction.
    assert.equal(resolveNetwork(stored, {configOverrides: {SECONDS_PER_SLOT: "6"}}, "minimal").preset, "minimal");
    assert.equal(resolveNetwork({preset: "minimal", configOverrides: {SECONDS_PER_SLOT: "2"}}, {configOverrides: {SLOT_DURATION_MS: "2000"}}, "minimal").preset, "minimal");
  });

  it("names the first contradicting key of a --config file and lists the others (gnomon beacon --config genesis/devnet.yaml)", () => {
    const file = readConfigFile("genesis/devnet.yaml");
    assert.throws(
      () => resolveNetwork(stored, {preset: file.preset, configOverrides: file.overrides}, "mainnet"),
      (e: Error) => /has GENESIS_FORK_VERSION=0x00000001, not GENESIS_FORK_VERSION=0x00676e6d; also .*SLOT_DURATION_MS/.test(e.message)
    );
    assert.throws(() => resolveNetwork(stored, {preset: "mainnet", configOverrides: {}}, "minimal"), /PRESET_BASE=minimal, not mainnet/);
    // Hex case and leading zeros are the same value.
    assert.equal(resolveNetwork(stored, {configOverrides: {GENESIS_FORK_VERSION: "0x00000001", GENESIS_DELAY: "0300"}}, "minimal").preset, "minimal");
  });
});

describe("node: start-up checks, atomic and interruptible start", function () {
  this.timeout(120_000);
  let root: string;
  let n = 0;
  const dataDir = (): string => join(root, `d${n++}`);
  before(() => {
    root = mkdtempSync(join(tmpdir(), "gnomon-startup-"));
  });
  after(() => rmSync(root, {recursive: true, force: true}));

  const base = (dir: string, extra: Partial<BeaconNodeOptions> = {}): BeaconNodeOptions => ({
    dataDir: dir,
    network: {preset: "minimal", configOverrides: {...DEV_OVERRIDES}},
    defaultPreset: "minimal",
    rest: null,
    logger: silentLogger,
    statusLine: false,
    ...extra,
  });

  function writeGenesis(name: string): string {
    useNetwork("minimal", DEV_OVERRIDES);
    const path = join(root, name);
    writeFileSync(path, interopGenesis(64).serialize());
    return path;
  }

  it("refuses a head block beyond the wall clock's slot (a clock gone back, or a chain run at another slot time)", async () => {
    const dir = dataDir();
    const time = new FakeTime((GENESIS_TIME + 60) * 1000);
    const node = await BeaconNode.start(base(dir, {genesis: {type: "interop", validators: 64, genesisTime: GENESIS_TIME}, time}));
    const signed = buildBlock(node.chain, node.chain.headRoot, 5);
    await node.chain.processBlock(signed, "api");
    assert.equal(node.chain.getHead().slot, 5);
    await node.stop();
    await assert.rejects(
      BeaconNode.start(base(dir, {time: new FakeTime((GENESIS_TIME + 12) * 1000)})),
      (e: Error & {code?: string}) => e.code === "HEAD_IN_FUTURE" && /head block is at slot 5, but the clock is at slot 2/.test(e.message)
    );
    // The refusal removed nothing: the chain is still there for the right clock.
    const again = await BeaconNode.start(base(dir, {time: new FakeTime((GENESIS_TIME + 60) * 1000)}));
    assert.equal(again.chain.getHead().slot, 5);
    await again.stop();
  });

  it("checks genesis flags on a stored chain instead of ignoring them", async () => {
    const dir = dataDir();
    const time = new FakeTime((GENESIS_TIME + 10) * 1000);
    const node = await BeaconNode.start(base(dir, {genesis: {type: "interop", validators: 64, genesisTime: GENESIS_TIME}, time}));
    await node.stop();
    await assert.rejects(BeaconNode.start(base(dir, {genesis: {type: "interop", validators: 32, genesisTime: GENESIS_TIME}, time})), /has 64 genesis validators, not 32/);
    await assert.rejects(BeaconNode.start(base(dir, {genesis: {type: "interop", validators: 64, genesisTime: GENESIS_TIME + 1}, time})), /genesis_time=1700000000, not 1700000001/);
  });

  it("refuses a genesis state whose fork version the config contradicts, and leaves no folder behind", async () => {
    const file = writeGenesis("g-fork.ssz");
    const dir = dataDir();
    const devnet = readConfigFile("genesis/devnet.yaml");
    await assert.rejects(
      BeaconNode.start(base(dir, {network: {preset: "minimal", configOverrides: devnet.overrides}, genesis: {type: "file", path: file}})),
      /has fork version 0x00000001, but the config's GENESIS_FORK_VERSION is 0x00676e6d/
    );
    assert.equal(existsSync(dir), false);
  });

  it("runs a state file's own preset when none is given, and names it when --preset contradicts it", async () => {
    const file = writeGenesis("g-minimal.ssz");
    const dir = dataDir();
    const time = new FakeTime((GENESIS_TIME + 10) * 1000);
    const node = await BeaconNode.start(base(dir, {network: {configOverrides: DEV_OVERRIDES}, defaultPreset: "mainnet", genesis: {type: "file", path: file}, time}));
    assert.equal(node.network.preset, "minimal");
    await node.stop();
    const other = dataDir();
    await assert.rejects(
      BeaconNode.start(base(other, {network: {preset: "mainnet", configOverrides: {}}, genesis: {type: "file", path: file}, time})),
      /is a minimal-preset state, but the node runs the mainnet preset \(give --preset minimal\)/
    );
    assert.equal(existsSync(other), false);
  });

  it("leaves nothing behind when the start fails: no genesis, a bad genesis file, a REST port in use", async () => {
    const noGenesis = dataDir();
    await assert.rejects(BeaconNode.start(base(noGenesis)), /holds no chain/);
    assert.equal(existsSync(noGenesis), false);

    const bad = join(root, "bad.ssz");
    writeFileSync(bad, new Uint8Array(100));
    const badDir = dataDir();
    await assert.rejects(BeaconNode.start(base(badDir, {genesis: {type: "file", path: bad}})), /is not an SSZ phase0 BeaconState of any preset/);
    assert.equal(existsSync(badDir), false);

    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as {port: number}).port;
    // An existing data dir keeps what it held; only what the start made goes.
    const portDir = dataDir();
    mkdirSync(portDir);
    writeFileSync(join(portDir, "keep.txt"), "mine");
    try {
      await assert.rejects(
        BeaconNode.start(base(portDir, {genesis: {type: "interop", validators: 64, genesisTime: GENESIS_TIME}, rest: {address: "127.0.0.1", port}})),
        (e: Error & {code?: string}) => e.code === "REST_LISTEN_FAILED"
      );
    } finally {
      blocker.close();
    }
    assert.deepEqual(readdirSync(portDir), ["keep.txt"]);
  });

  it("stops at once when interrupted while building a 4,096-validator genesis, leaving nothing", async () => {
    const dir = dataDir();
    const controller = new AbortController();
    // Abort while the deposits are being signed: the start ends with the next chunk, not the build.
    const start = BeaconNode.start(base(dir, {genesis: {type: "interop", validators: 4096}, signal: controller.signal}));
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(start, StartAbortedError);
    assert.equal(existsSync(dir), false);
  });
});
