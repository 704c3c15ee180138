import {strict as assert} from "node:assert";
import {mkdtemp, readFile, rm, stat, writeFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {GnomonError} from "../../../../src/util/errors.ts";
import {bearerMatches, loadOrCreateToken} from "../../../../src/validator/keymanager/token.ts";

describe("keymanager / bearer token", () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "gnomon-token-"))));
  afterEach(() => rm(dir, {recursive: true, force: true}));

  it("creates 256 random bits of hex in a 0600 file and reuses them", async () => {
    const file = join(dir, "keymanager", "api-token.txt");
    const token = await loadOrCreateToken(file);
    assert.match(token, /^[0-9a-f]{64}$/);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await readFile(file, "utf8")).trim(), token);
    assert.equal(await loadOrCreateToken(file), token);
    assert.notEqual(await loadOrCreateToken(join(dir, "other")), token);
  });

  it("refuses a token file that is too short or not hex instead of replacing it", async () => {
    for (const bad of ["abc", "z".repeat(64)]) {
      const file = join(dir, "bad");
      await writeFile(file, bad);
      await assert.rejects(loadOrCreateToken(file), (e: unknown) => e instanceof GnomonError && /at least 256 bits/.test((e as Error).message));
    }
  });

  it("matches only the exact bearer token", () => {
    const token = "ab".repeat(32);
    assert.equal(bearerMatches(`Bearer ${token}`, token), true);
    assert.equal(bearerMatches(`bearer ${token}`, token), true);
    assert.equal(bearerMatches(undefined, token), false);
    assert.equal(bearerMatches(token, token), false);
    assert.equal(bearerMatches(`Bearer ${token}0`, token), false);
    assert.equal(bearerMatches(`Bearer ${"cd".repeat(32)}`, token), false);
  });
});
