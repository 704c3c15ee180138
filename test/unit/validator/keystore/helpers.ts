import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {dirname, join} from "node:path";

export const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");

export function readFixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(fixturesDir, name), "utf8"));
}

/** The password and secret of the EIP-2335 test vectors. */
export const EIP_PASSWORD = "𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑";
export const EIP_SECRET = "0x000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";
export const EIP_PUBKEY = "0x9612d7a727c9d0a22e185a1c768478dfe919cada9266988cb32359c11f2b7b27f4ae4040902382ae2910c15e2b420d07";

/** Runs `fn` and returns what it threw; fails if it did not throw. */
export async function rejection(fn: () => Promise<unknown> | unknown): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error, got none");
}
