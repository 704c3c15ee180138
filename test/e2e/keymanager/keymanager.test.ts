/**
 * The keymanager API of a running `gnomon validator --keymanager` (a `gnomon beacon` of 16
 * interop validators beside it, minimal preset, 2-second slots), driven with plain fetch calls
 * per the keymanager OpenAPI: 401s, list, bad input that changes nothing, import with
 * slashing-protection data, the imported key signing without a restart, graffiti, a signed
 * voluntary exit, delete with its history returned and no signature after it, re-import,
 * a restart; and the same routes through an off-the-shelf client (@lodestar/api's keymanager
 * client).
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync, statSync, readFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {interopPubkey, interopSecretKey, verify} from "../../../src/crypto/index.ts";
import {DOMAIN_VOLUNTARY_EXIT} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {ssz} from "../../../src/types/index.ts";
import {fromHex, toHex} from "../../../src/util/bytes.ts";
import {createKeystore} from "../../../src/validator/keystore/index.ts";
import {getJson, restUrl, runGnomon, sleep, startInteropBeacon, stopProcess, type Proc} from "../helpers/processes.ts";

// @lodestar/params reads the preset from the environment when first imported.
process.env.LODESTAR_PRESET ??= "minimal";
const lodestarKeymanager = await import("@lodestar/api/keymanager");
const {createChainForkConfig, defaultChainConfig} = await import("@lodestar/config");

const SLOT_MS = 2000;
const PASSWORD = "keymanager test password";
const MINIMAL_GENESIS_FORK_VERSION = fromHex("0x00000001");

describe("e2e: the keymanager API of gnomon validator", function () {
  this.timeout(180_000);
  let dir: string;
  let beacon: Proc | undefined;
  let vc: Proc | undefined;
  let beaconUrl: string;
  let km: string;
  let token: string;

  const call = async (method: string, path: string, body?: unknown, auth: string | null = `Bearer ${token}`): Promise<{status: number; json: any}> => {
    const headers: Record<string, string> = {accept: "application/json"};
    if (auth !== null) headers.authorization = auth;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${km}${path}`, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await res.text();
    return {status: res.status, json: text === "" ? null : JSON.parse(text)};
  };
  const keystoreOf = async (index: number): Promise<string> =>
    JSON.stringify(await createKeystore(interopSecretKey(index), PASSWORD, {kdf: "pbkdf2", c: 1024, path: `m/12381/3600/${index}/0/0`}));
  const startValidator = (): Proc =>
    runGnomon([
      "validator", "--interop-indices", "0..13", "--beacon-node", beaconUrl, "--data-dir", join(dir, "vc"),
      "--keymanager", "--keymanager-port", "0", "--graffiti", "default graffiti", "--log-level", "info",
    ]);
  const pk = (index: number): string => toHex(interopPubkey(index));
  const currentEpoch = async (): Promise<number> =>
    Math.floor(Number((await getJson(`${beaconUrl}/eth/v1/beacon/headers/head`)).data.header.message.slot) / 8);
  const live = async (epoch: number, index: number): Promise<boolean> => {
    const res = await getJson(`${beaconUrl}/eth/v1/validator/liveness/${epoch}`, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify([String(index)])});
    return res.data[0].is_live === true;
  };
  /** Waits until `index` has been seen attesting in an epoch >= `from`; returns that epoch. */
  const untilLive = async (index: number, from: number): Promise<number> => {
    for (let i = 0; i < 60; i++) {
      const now = await currentEpoch();
      for (let e = from; e <= now; e++) if (await live(e, index)) return e;
      await sleep(1000);
    }
    throw new Error(`validator ${index} never became live from epoch ${from}`);
  };
  const attestationsIn = (interchange: string, pubkey: string): number =>
    JSON.parse(interchange).data.filter((d: any) => d.pubkey === pubkey).reduce((n: number, d: any) => n + d.signed_attestations.length, 0);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-km-"));
    ({beacon, url: beaconUrl} = await startInteropBeacon(dir, {validators: 16, genesisTime: Math.floor(Date.now() / 1000) + 4, slotMs: SLOT_MS}));
    vc = startValidator();
    km = await restUrl(vc, "gnomon validator --keymanager");
    const tokenFile = join(dir, "vc", "keymanager", "api-token.txt");
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    token = readFileSync(tokenFile, "utf8").trim();
    assert.match(token, /^[0-9a-f]{64}$/);
  });

  after(async () => {
    await stopProcess(vc);
    await stopProcess(beacon);
    rmSync(dir, {recursive: true, force: true});
  });

  it("refuses a missing or wrong bearer token with 401 on every route", async () => {
    for (const [method, path] of [["GET", "/eth/v1/keystores"], ["DELETE", "/eth/v1/keystores"], ["GET", `/eth/v1/validator/${pk(0)}/graffiti`]]) {
      assert.equal((await call(method, path, undefined, null)).status, 401, `${method} ${path} without a token`);
      const wrong = await call(method, path, undefined, `Bearer ${"0".repeat(64)}`);
      assert.equal(wrong.status, 401);
      assert.equal(typeof wrong.json.message, "string");
    }
  });

  it("lists the command-line keys as read-only, and answers for the features a phase0 client lacks", async () => {
    const list = await call("GET", "/eth/v1/keystores");
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.data.map((k: any) => k.validating_pubkey), Array.from({length: 14}, (_, i) => pk(i)));
    assert.ok(list.json.data.every((k: any) => k.readonly === true));
    assert.deepEqual((await call("GET", "/eth/v1/remotekeys")).json, {data: []});
    assert.deepEqual((await call("DELETE", "/eth/v1/remotekeys", {pubkeys: [pk(1)]})).json, {data: [{status: "not_found"}]});
    assert.equal((await call("POST", "/eth/v1/remotekeys", {remote_keys: [{pubkey: pk(1), url: "http://127.0.0.1:1"}]})).json.data[0].status, "error");
    assert.equal((await call("GET", `/eth/v1/validator/${pk(1)}/feerecipient`)).status, 404);
    assert.equal((await call("GET", `/eth/v1/validator/${pk(1)}/gas_limit`)).status, 404);
  });

  it("refuses malformed imports and changes nothing", async () => {
    const ks14 = await keystoreOf(14);
    assert.equal((await call("POST", "/eth/v1/keystores", {keystores: [ks14], passwords: []})).status, 400);
    assert.equal((await call("POST", "/eth/v1/keystores", {keystores: "x", passwords: []})).status, 400);
    const otherChain = JSON.stringify({metadata: {interchange_format_version: "5", genesis_validators_root: toHex(new Uint8Array(32).fill(7))}, data: []});
    const wrongChain = await call("POST", "/eth/v1/keystores", {keystores: [ks14], passwords: [PASSWORD], slashing_protection: otherChain});
    assert.equal(wrongChain.status, 400);
    assert.match(wrongChain.json.message, /genesis_validators_root/);
    assert.equal((await call("POST", "/eth/v1/keystores", {keystores: [ks14], passwords: [PASSWORD], slashing_protection: "{not json"})).status, 400);
    const perKey = await call("POST", "/eth/v1/keystores", {keystores: ["{\"version\": 4}", ks14], passwords: [PASSWORD, "wrong password"]});
    assert.equal(perKey.status, 200);
    assert.deepEqual(perKey.json.data.map((s: any) => s.status), ["error", "error"]);
    assert.match(perKey.json.data[1].message, /wrong password/);
    assert.equal((await call("GET", "/eth/v1/keystores")).json.data.length, 14);
  });

  it("imports keystores with their history; the new keys sign without a restart", async () => {
    const genesis = (await getJson(`${beaconUrl}/eth/v1/beacon/genesis`)).data;
    const history = JSON.stringify({
      metadata: {interchange_format_version: "5", genesis_validators_root: genesis.genesis_validators_root},
      data: [{pubkey: pk(14), signed_blocks: [], signed_attestations: [{source_epoch: "0", target_epoch: "0"}]}],
    });
    const res = await call("POST", "/eth/v1/keystores", {keystores: [await keystoreOf(14), await keystoreOf(15)], passwords: [PASSWORD, PASSWORD], slashing_protection: history});
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data, [{status: "imported"}, {status: "imported"}]);
    const again = await call("POST", "/eth/v1/keystores", {keystores: [await keystoreOf(14)], passwords: [PASSWORD]});
    assert.deepEqual(again.json.data, [{status: "duplicate"}]);
    const listed = (await call("GET", "/eth/v1/keystores")).json.data;
    assert.equal(listed.length, 16);
    assert.deepEqual(listed.find((k: any) => k.validating_pubkey === pk(15)), {validating_pubkey: pk(15), derivation_path: "m/12381/3600/15/0/0", readonly: false});
    assert.ok(vc!.lines.some((l) => l.includes("validator key added")));
    // Epoch 0 is covered by the imported 0->0 vote: the first new vote is of epoch 1 or later.
    await untilLive(14, 1);
  });

  it("keeps graffiti per key", async () => {
    const path = `/eth/v1/validator/${pk(15)}/graffiti`;
    assert.deepEqual((await call("GET", path)).json, {data: {pubkey: pk(15), graffiti: "default graffiti"}});
    assert.equal((await call("POST", path, {graffiti: "gnomon 15"})).status, 202);
    assert.deepEqual((await call("GET", path)).json.data.graffiti, "gnomon 15");
    assert.equal((await call("POST", path, {graffiti: "x".repeat(33)})).status, 400);
    assert.equal((await call("POST", path, {})).status, 400);
    assert.equal((await call("GET", `/eth/v1/validator/${toHex(new Uint8Array(48).fill(1))}/graffiti`)).status, 404);
    assert.equal((await call("GET", "/eth/v1/validator/0x1234/graffiti")).status, 400);
    assert.equal((await call("DELETE", path)).status, 204);
    assert.deepEqual((await call("GET", path)).json.data.graffiti, "default graffiti");
  });

  it("signs a voluntary exit that verifies under DOMAIN_VOLUNTARY_EXIT", async () => {
    const res = await call("POST", `/eth/v1/validator/${pk(15)}/voluntary_exit?epoch=3`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data.message, {epoch: "3", validator_index: "15"});
    const gvr = fromHex((await getJson(`${beaconUrl}/eth/v1/beacon/genesis`)).data.genesis_validators_root);
    const root = computeSigningRoot(ssz.VoluntaryExit, {epoch: 3, validator_index: 15}, computeDomain(DOMAIN_VOLUNTARY_EXIT, MINIMAL_GENESIS_FORK_VERSION, gvr));
    assert.equal(verify(interopPubkey(15), root, fromHex(res.json.data.signature)), true);
    assert.equal((await call("POST", `/eth/v1/validator/${pk(15)}/voluntary_exit?epoch=soon`)).status, 400);
    assert.equal((await call("POST", `/eth/v1/validator/${toHex(new Uint8Array(48).fill(1))}/voluntary_exit`)).status, 404);
  });

  it("deletes keys with their history, never signs with them again, and re-imports them", async () => {
    const unknown = toHex(new Uint8Array(48).fill(2));
    const res = await call("DELETE", "/eth/v1/keystores", {pubkeys: [pk(14), unknown, pk(0)]});
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.data.map((s: any) => s.status), ["deleted", "not_found", "error"]);
    const history = res.json.slashing_protection;
    assert.deepEqual(JSON.parse(history).data.map((d: any) => d.pubkey), [pk(14)]);
    const signed = attestationsIn(history, pk(14));
    assert.ok(signed >= 2, `key 14 signed after its import (the imported 0->0 plus new votes): ${history}`);
    assert.equal((await call("GET", "/eth/v1/keystores")).json.data.length, 15);
    assert.equal((await call("DELETE", "/eth/v1/keystores", {pubkeys: ["0x12"]})).status, 400);

    // Another epoch: the deleted key stays silent while the others attest; its history is kept.
    const next = (await currentEpoch()) + 1;
    await untilLive(15, next);
    while ((await currentEpoch()) <= next) await sleep(1000);
    assert.equal(await live(next, 14), false, "a deleted key attested");
    const later = await call("DELETE", "/eth/v1/keystores", {pubkeys: [pk(14)]});
    assert.deepEqual(later.json.data, [{status: "not_active"}]);
    assert.equal(attestationsIn(later.json.slashing_protection, pk(14)), signed);

    const back = await call("POST", "/eth/v1/keystores", {keystores: [await keystoreOf(14)], passwords: [PASSWORD], slashing_protection: later.json.slashing_protection});
    assert.deepEqual(back.json.data, [{status: "imported"}]);
    assert.equal((await call("GET", "/eth/v1/keystores")).json.data.length, 16);
  });

  it("loads the imported keys and the same token again after a restart", async () => {
    await stopProcess(vc);
    vc = startValidator();
    km = await restUrl(vc, "gnomon validator --keymanager (restarted)");
    const listed = (await call("GET", "/eth/v1/keystores")).json.data;
    assert.equal(listed.length, 16);
    assert.deepEqual(listed.filter((k: any) => !k.readonly).map((k: any) => k.validating_pubkey).sort(), [pk(14), pk(15)].sort());
  });

  it("serves an off-the-shelf keymanager client (@lodestar/api)", async () => {
    const client = lodestarKeymanager.getClient({urls: [{baseUrl: km, bearerToken: token}]}, {config: createChainForkConfig(defaultChainConfig)});
    const keys = (await client.listKeys()).value();
    assert.equal(keys.length, 16);
    assert.deepEqual(keys.find((k) => k.validatingPubkey === pk(15)), {validatingPubkey: pk(15), derivationPath: "m/12381/3600/15/0/0", readonly: false});
    assert.equal((await client.getGraffiti({pubkey: pk(15)})).value().graffiti, "default graffiti");
    assert.deepEqual((await client.importKeystores({keystores: [await keystoreOf(15)], passwords: [PASSWORD]})).value(), [{status: "duplicate"}]);
    assert.deepEqual((await client.listRemoteKeys()).value(), []);
    const deleted = (await client.deleteKeys({pubkeys: [pk(15)]})).value();
    assert.deepEqual(deleted.statuses, [{status: "deleted"}]);
    assert.deepEqual(JSON.parse(deleted.slashingProtection).data.map((d: any) => d.pubkey), [pk(15)]);
    const denied = lodestarKeymanager.getClient({urls: [{baseUrl: km, bearerToken: "00".repeat(32)}]}, {config: createChainForkConfig(defaultChainConfig)});
    assert.equal((await denied.listKeys()).status, 401);
  });
});
