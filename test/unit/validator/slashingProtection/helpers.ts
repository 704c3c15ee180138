import {mkdtemp, rm} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {SlashingProtectionError} from "../../../../src/validator/slashingProtection/errors.ts";
import {SlashingProtectionStore} from "../../../../src/validator/slashingProtection/store.ts";

export const pubkey = (byte: number): Uint8Array => new Uint8Array(48).fill(byte);
export const root = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
export const hex = (bytes: Uint8Array): string => "0x" + Buffer.from(bytes).toString("hex");

/** A fresh store in a temporary directory, removed by `dispose`. */
export async function tempStore(): Promise<{store: SlashingProtectionStore; dir: string; dispose: () => Promise<void>}> {
  const dir = await mkdtemp(join(tmpdir(), "gnomon-slashing-"));
  const store = await SlashingProtectionStore.open(join(dir, "db"));
  return {
    store,
    dir,
    dispose: async () => {
      await store.close().catch(() => undefined);
      await rm(dir, {recursive: true, force: true});
    },
  };
}

/** The code of the SlashingProtectionError that `p` rejects with. */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SlashingProtectionError) return e.code;
    throw e;
  }
  throw new Error("expected a refusal, got permission");
}

export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected an error, got none");
}
