import {strict as assert} from "node:assert";
import {mkdtemp, readdir, rm, stat} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {FastifyInstance} from "fastify";
import {interopPubkey, interopSecretKey} from "../../../../src/crypto/index.ts";
import {ssz} from "../../../../src/types/index.ts";
import {toHex} from "../../../../src/util/bytes.ts";
import {GraffitiStore, KeyManager, KeystoreStore, buildKeymanagerApp} from "../../../../src/validator/keymanager/index.ts";
import {createKeystore} from "../../../../src/validator/keystore/index.ts";
import {interopKeys} from "../../../../src/validator/keys/validatorKeys.ts";
import {Signer} from "../../../../src/validator/signing/signer.ts";
import {SigningContext} from "../../../../src/validator/signing/signingContext.ts";
import {SlashingProtectionStore} from "../../../../src/validator/slashingProtection/index.ts";

const GVR = new Uint8Array(32).fill(4);
const TOKEN = "ab".repeat(32);
const PASSWORD = "unit test password";
const FORKS = [{previousVersion: Uint8Array.of(0, 0, 0, 1), currentVersion: Uint8Array.of(0, 0, 0, 1), epoch: 0}];

describe("keymanager / routes on a real signer and slashing-protection store", function () {
  this.timeout(20_000);
  let dir: string;
  let protection: SlashingProtectionStore;
  let signer: Signer;
  let app: FastifyInstance;
  const changes: string[] = [];

  const call = async (method: "GET" | "POST" | "DELETE", url: string, payload?: unknown) => {
    const res = await app.inject({method, url, headers: {authorization: `Bearer ${TOKEN}`}, ...(payload === undefined ? {} : {payload: payload as object})});
    return {status: res.statusCode, json: res.body === "" ? null : res.json()};
  };
  const keystoreOf = async (i: number): Promise<string> => JSON.stringify(await createKeystore(interopSecretKey(i), PASSWORD, {kdf: "pbkdf2", c: 16, path: `m/12381/3600/${i}/0/0`}));
  const block = (slot: number) => ({...ssz.BeaconBlock.defaultValue(), slot, proposer_index: 2});

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "gnomon-km-"));
    protection = await SlashingProtectionStore.open(join(dir, "sp"));
    await protection.bindGenesisValidatorsRoot(GVR);
    const given = interopKeys([0]);
    signer = new Signer(given, protection, new SigningContext(GVR, FORKS));
    const km = new KeyManager({
      signer,
      protection,
      genesisValidatorsRoot: GVR,
      keystores: new KeystoreStore(dir),
      graffiti: await GraffitiStore.open(dir),
      defaultGraffiti: "dflt",
      readonlyKeys: given,
      paths: new Map(),
      onKeyAdded: (pk) => changes.push(`+${toHex(pk)}`),
      onKeyRemoved: (pk) => changes.push(`-${toHex(pk)}`),
      validatorIndex: async (pk) => (toHex(pk) === toHex(interopPubkey(2)) ? 2 : null),
      currentEpoch: () => 7,
    });
    app = buildKeymanagerApp(km, {token: TOKEN});
    changes.length = 0;
  });

  afterEach(async () => {
    await app.close();
    await protection.close();
    await rm(dir, {recursive: true, force: true});
  });

  it("needs the bearer token", async () => {
    assert.equal((await app.inject({method: "GET", url: "/eth/v1/keystores"})).statusCode, 401);
    assert.equal((await app.inject({method: "GET", url: "/eth/v1/keystores", headers: {authorization: `Bearer ${"cd".repeat(32)}`}})).statusCode, 401);
  });

  it("imports a keystore into the signer and the data dir (0600), once", async () => {
    const res = await call("POST", "/eth/v1/keystores", {keystores: [await keystoreOf(2), await keystoreOf(2)], passwords: [PASSWORD, PASSWORD]});
    assert.deepEqual(res.json.data, [{status: "imported"}, {status: "duplicate"}]);
    assert.equal(signer.hasKey(interopPubkey(2)), true);
    assert.deepEqual(changes, [`+${toHex(interopPubkey(2))}`]);
    const files = await readdir(join(dir, "keymanager", "keystores"));
    assert.deepEqual(files, [`${toHex(interopPubkey(2))}.json`]);
    assert.equal((await stat(join(dir, "keymanager", "secrets", toHex(interopPubkey(2))))).mode & 0o777, 0o600);
    assert.deepEqual((await call("GET", "/eth/v1/keystores")).json.data, [
      {validating_pubkey: toHex(interopPubkey(0)), readonly: true},
      {validating_pubkey: toHex(interopPubkey(2)), derivation_path: "m/12381/3600/2/0/0", readonly: false},
    ]);
    assert.deepEqual((await new KeystoreStore(dir).loadAll()).map((k) => toHex(k.pubkey)), [toHex(interopPubkey(2))]);
  });

  it("changes nothing when the slashing-protection data is bad", async () => {
    const bad = JSON.stringify({metadata: {interchange_format_version: "5", genesis_validators_root: toHex(GVR)}, data: [{pubkey: "0x12"}]});
    const res = await call("POST", "/eth/v1/keystores", {keystores: [await keystoreOf(2)], passwords: [PASSWORD], slashing_protection: bad});
    assert.equal(res.status, 400);
    assert.equal(signer.hasKey(interopPubkey(2)), false);
    assert.deepEqual(changes, []);
  });

  it("deletes: the key stops signing at once, its history comes back and stays", async () => {
    await call("POST", "/eth/v1/keystores", {keystores: [await keystoreOf(2)], passwords: [PASSWORD]});
    await signer.signBlock(interopPubkey(2), block(10));
    // A proposal whose protection record is being written while the delete arrives is not signed.
    const racing = signer.signBlock(interopPubkey(2), block(11)).then(() => "signed", (e: Error) => e.message);
    const res = await call("DELETE", "/eth/v1/keystores", {pubkeys: [toHex(interopPubkey(2)), toHex(interopPubkey(0)), toHex(interopPubkey(9))]});
    assert.match(await racing, /was removed/);
    assert.deepEqual(res.json.data.map((s: {status: string}) => s.status), ["deleted", "error", "not_found"]);
    const history = JSON.parse(res.json.slashing_protection);
    assert.deepEqual(history.data.map((d: {signed_blocks: {slot: string}[]}) => d.signed_blocks.map((b) => b.slot)), [["10", "11"]]);
    await assert.rejects(signer.signBlock(interopPubkey(2), block(12)), /no signing key/);
    assert.deepEqual(await readdir(join(dir, "keymanager", "keystores")), []);
    const again = await call("DELETE", "/eth/v1/keystores", {pubkeys: [toHex(interopPubkey(2))]});
    assert.deepEqual(again.json.data, [{status: "not_active"}]);
    assert.equal(again.json.slashing_protection, res.json.slashing_protection);
  });

  it("signs exits only for loaded keys the chain knows", async () => {
    await call("POST", "/eth/v1/keystores", {keystores: [await keystoreOf(2)], passwords: [PASSWORD]});
    const exit = await call("POST", `/eth/v1/validator/${toHex(interopPubkey(2))}/voluntary_exit`);
    assert.deepEqual(exit.json.data.message, {epoch: "7", validator_index: "2"});
    assert.equal((await call("POST", `/eth/v1/validator/${toHex(interopPubkey(0))}/voluntary_exit`)).status, 404);
    assert.equal((await call("POST", `/eth/v1/validator/${toHex(interopPubkey(5))}/voluntary_exit`)).status, 404);
  });
});
