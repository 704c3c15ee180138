import {strict as assert} from "node:assert";
import {fromHex} from "../../../../src/util/bytes.ts";
import {GnomonError} from "../../../../src/util/errors.ts";
import {deriveSecretKeyFromPath, parseKeyPath, validatorSigningKeyPath} from "../../../../src/validator/keystore/keyPath.ts";

const toBigInt = (b: Uint8Array): bigint => BigInt("0x" + Buffer.from(b).toString("hex"));

// ERC-2333 test cases 0-3 (seed, master_SK, child_index, child_SK).
const VECTORS = [
  ["0xc55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04", "6083874454709270928345386274498605044986640685124978867557563392430687146096", 0, "20397789859736650942317412262472558107875392172444076792671091975210932703118"],
  ["0x3141592653589793238462643383279502884197169399375105820974944592", "29757020647961307431480504535336562678282505419141012933316116377660817309383", 3141592653, "25457201688850691947727629385191704516744796114925897962676248250929345014287"],
  ["0x0099FF991111002299DD7744EE3355BBDD8844115566CC55663355668888CC00", "27580842291869792442942448775674722299803720648445448686099262467207037398656", 4294967295, "29358610794459428860402234341874281240803786294062035874021252734817515685787"],
  ["0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3", "19022158461524446591288038168518313374041767046816487870552872741050760015818", 42, "31372231650479070279774297061823572166496564838472787488249775572789064611981"],
] as const;

describe("keystore / ERC-2334 key paths", () => {
  it("parses paths into indices", () => {
    assert.deepEqual(parseKeyPath(""), []);
    assert.deepEqual(parseKeyPath("m"), []);
    assert.deepEqual(parseKeyPath("m/12381/3600/7/0/0"), [12381, 3600, 7, 0, 0]);
    assert.equal(validatorSigningKeyPath(7), "m/12381/3600/7/0/0");
  });

  it("rejects malformed paths with a typed error", () => {
    for (const bad of ["12381/3600", "m/", "m/1'/2", "m/-1", "m/01", "m/4294967296", "m/x"]) {
      assert.throws(() => parseKeyPath(bad), (e: unknown) => e instanceof GnomonError && e.code === "INVALID_INPUT", bad);
    }
  });

  for (const [i, [seed, master, index, child]] of VECTORS.entries()) {
    it(`derives the ERC-2333 test case ${i} master and child keys`, () => {
      assert.equal(toBigInt(deriveSecretKeyFromPath(fromHex(seed), "m").toBytes()), BigInt(master));
      assert.equal(toBigInt(deriveSecretKeyFromPath(fromHex(seed), `m/${index}`).toBytes()), BigInt(child));
    });
  }
});
