import {strict as assert} from "node:assert";
import {existsSync, mkdirSync} from "node:fs";
import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pino} from "pino";
import {FakeTime} from "../../../src/clock/index.ts";
import {interopPubkey} from "../../../src/crypto/index.ts";
import {createChainConfig, useNetwork} from "../../../src/params/index.ts";

const config = createChainConfig("minimal");
import {toHex} from "../../../src/util/bytes.ts";
import {InputError} from "../../../src/util/errors.ts";
import {checkBeaconNodeUrl, locateSlashingProtection, startValidatorClient, type ValidatorClient} from "../../../src/validator/index.ts";
import type {AttesterDuty, ProposerDuty} from "../../../src/validator/api/types.ts";
import {FakeBeaconNode, waitFor} from "./helpers/fakeBeaconNode.ts";

const GENESIS_TIME = 1_700_000_000;
const GVR = new Uint8Array(32).fill(0x42);
const SLOTS = 8;

function capture(): {logger: pino.Logger; lines: Record<string, unknown>[]} {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({level: "info"}, {write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>)});
  return {logger, lines};
}

const proposerDuties = (epoch: number): ProposerDuty[] => [{pubkey: interopPubkey(1), validatorIndex: 1, slot: epoch * SLOTS + 1}];
const attesterDuties = (epoch: number, indices: number[]): AttesterDuty[] =>
  indices.map((v) => ({pubkey: interopPubkey(v), validatorIndex: v, committeeIndex: 0, committeeLength: 4, committeesAtSlot: 1, validatorCommitteeIndex: v, slot: epoch * SLOTS + v}));

describe("validator / operator: URL, key status, doppelganger protection", function () {
  this.timeout(30_000);
  let node: FakeBeaconNode;
  let time: FakeTime;
  let dir: string;
  let client: ValidatorClient | null = null;

  before(() => useNetwork("minimal"));
  after(() => useNetwork("mainnet"));

  beforeEach(async () => {
    const validators = new Map<string, number>();
    for (const i of [0, 1, 2]) validators.set(toHex(interopPubkey(i)), i);
    node = new FakeBeaconNode({genesisTime: GENESIS_TIME, genesisValidatorsRoot: GVR, proposerDuties, attesterDuties, validators});
    await node.start();
    dir = await mkdtemp(join(tmpdir(), "gnomon-vc-op-"));
    client = null;
  });

  afterEach(async () => {
    await client?.stop();
    await node.stop();
    await rm(dir, {recursive: true, force: true});
  });

  const slotStart = (slot: number): number => GENESIS_TIME * 1000 + slot * config.SLOT_DURATION_MS;
  const advanceTo = (ms: number): void => time.advance(ms - time.now());

  it("refuses a --beacon-node URL with a path instead of waiting for genesis forever", async () => {
    assert.equal(checkBeaconNodeUrl("http://127.0.0.1:5052/"), "http://127.0.0.1:5052");
    assert.throws(() => checkBeaconNodeUrl("http://127.0.0.1:5052/eth/v1"), (e: Error) => e instanceof InputError && /without a path \(http:\/\/127\.0\.0\.1:5052\)/.test(e.message));
    assert.throws(() => checkBeaconNodeUrl("127.0.0.1:5052"), InputError);
    time = new FakeTime(slotStart(3));
    await assert.rejects(startValidatorClient({beaconUrl: `${node.url}/eth/v1`, interopIndices: [0], dataDir: dir, time}), /without a path/);
    assert.equal(node.requests.length, 0);
  });

  it("names keys the chain does not know or whose deposit is pending, each epoch", async () => {
    node.statuses.set(toHex(interopPubkey(1)), "pending_queued");
    const {logger, lines} = capture();
    time = new FakeTime(slotStart(3));
    client = await startValidatorClient({beaconUrl: node.url, interopIndices: [0, 1, 2, 3], dataDir: dir, time, logger});
    const warnings = (): string[] => lines.filter((l) => String(l.msg).startsWith("validator keys that cannot sign")).map((l) => String(l.msg));
    assert.equal(warnings().length, 1);
    assert.match(warnings()[0], /1 pending deposit \(pending_queued\): 0x[0-9a-f]{8}…; 1 not found on chain \(no deposit processed\): 0x[0-9a-f]{8}…/);
    assert.ok(warnings()[0].includes(toHex(interopPubkey(3)).slice(0, 10)));
    // The pending key becomes active: the next epoch names only the missing one.
    node.statuses.set(toHex(interopPubkey(1)), "active_ongoing");
    advanceTo(slotStart(SLOTS));
    await waitFor(() => warnings().length === 2, "the next epoch's warning");
    assert.match(warnings()[1], /^validator keys that cannot sign: 1 not found on chain/);
  });

  it("with doppelganger protection, refuses to sign and stops when a key is live elsewhere", async () => {
    const {logger, lines} = capture();
    time = new FakeTime(slotStart(2 * SLOTS + 3));
    node.live.set(3, new Set([2]));
    client = await startValidatorClient({beaconUrl: node.url, interopIndices: [0, 1, 2], dataDir: dir, time, logger, doppelgangerProtection: true});
    // Epoch 2 (the start epoch) is not judged, and nothing is signed in it.
    advanceTo(slotStart(3 * SLOTS - 1) + 3000);
    assert.equal(node.calls("POST", "/eth/v2/beacon/blocks").length, 0);
    assert.equal(node.calls("POST", "/eth/v2/beacon/pool/attestations").length, 0);
    advanceTo(slotStart(3 * SLOTS));
    await client.done;
    assert.equal(client.exitCode(), 1);
    const line = lines.find((l) => String(l.msg).startsWith("doppelganger detected"));
    assert.ok(line !== undefined);
    assert.match(String(line.msg), /validator\(s\) 2 live elsewhere in epoch 3/);
    assert.equal(node.calls("GET", "/eth/v3/validator/blocks/25").length + node.calls("POST", "/eth/v2/beacon/pool/attestations").length, 0);
  });

  it("with doppelganger protection, starts signing after a whole epoch without the keys live elsewhere", async () => {
    const {logger, lines} = capture();
    time = new FakeTime(slotStart(2 * SLOTS + 3));
    client = await startValidatorClient({beaconUrl: node.url, interopIndices: [0, 1, 2], dataDir: dir, time, logger, doppelgangerProtection: true});
    for (let slot = 2 * SLOTS + 4; slot <= 4 * SLOTS; slot++) advanceTo(slotStart(slot));
    await waitFor(() => lines.some((l) => String(l.msg).startsWith("doppelganger protection: no key live elsewhere")), "the all-clear at epoch 4");
    assert.ok(node.calls("POST", "/eth/v1/validator/liveness/3").length > 0);
    assert.equal(node.calls("POST", "/eth/v1/validator/liveness/2").length, 0, "the start epoch is not judged");
    assert.equal(node.calls("POST", "/eth/v2/beacon/blocks").length, 0, "no block before epoch 4");
    advanceTo(slotStart(4 * SLOTS + 1));
    await waitFor(() => node.calls("POST", "/eth/v2/beacon/blocks").length === 1, "the first block, at slot 33");
    assert.equal(client.exitCode(), 0);
  });
});

describe("validator / slashing-protection paths", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "gnomon-sp-path-"));
  });
  afterEach(() => rm(root, {recursive: true, force: true}));

  it("finds gnomon dev's history from the dev data dir, and creates nothing for a mistyped one", () => {
    const dev = join(root, "dev");
    mkdirSync(join(dev, "validator", "slashing-protection"), {recursive: true});
    assert.equal(locateSlashingProtection(dev, {isDefaultDataDir: false, forImport: false}), join(dev, "validator", "slashing-protection"));
    mkdirSync(join(root, "vc", "slashing-protection"), {recursive: true});
    assert.equal(locateSlashingProtection(join(root, "vc"), {isDefaultDataDir: false, forImport: false}), join(root, "vc", "slashing-protection"));
    const typo = join(root, "dve");
    assert.throws(
      () => locateSlashingProtection(typo, {isDefaultDataDir: false, forImport: false}),
      (e: Error) => e instanceof InputError && e.message.includes(join(typo, "slashing-protection")) && e.message.includes(join(typo, "validator", "slashing-protection"))
    );
    assert.equal(existsSync(typo), false);
    // An import may start a new client's history, but never a chain of folders.
    assert.equal(locateSlashingProtection(join(root, "fresh"), {isDefaultDataDir: false, forImport: true}), join(root, "fresh", "slashing-protection"));
    assert.throws(() => locateSlashingProtection(join(typo, "vc"), {isDefaultDataDir: false, forImport: true}), /nor its parent folder exists/);
    assert.equal(existsSync(typo), false);
  });
});
