import {strict as assert} from "node:assert";
import {toHex} from "../../../../src/util/bytes.ts";
import {normalizePassword} from "../../../../src/validator/keystore/password.ts";
import {EIP_PASSWORD} from "./helpers.ts";

describe("keystore / normalizePassword", () => {
  it("NFKD-normalizes the EIP-2335 test password to its encoded form", () => {
    assert.equal(toHex(normalizePassword(EIP_PASSWORD)), "0x7465737470617373776f7264f09f9491");
  });

  it("strips C0, Delete and C1 control codes but keeps space", () => {
    const raw = "a\u0000b\u001fc d\u007fe\u0080f\u009fg\n\r\t";
    assert.equal(new TextDecoder().decode(normalizePassword(raw)), "abc defg");
  });

  it("keeps characters just outside the control ranges", () => {
    assert.equal(toHex(normalizePassword("\u00a0")), toHex(new TextEncoder().encode(" ")), "NBSP decomposes to space under NFKD");
    assert.equal(toHex(normalizePassword("~")), "0x7e");
    assert.equal(toHex(normalizePassword("\u00e9")), "0x65cc81", "é decomposes to e + combining acute");
  });
});
