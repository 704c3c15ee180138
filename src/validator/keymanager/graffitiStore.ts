/** Graffiti per validator set through the keymanager API, kept in `keymanager/graffiti.json`. */
import {mkdir, readFile, rename, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {toHex} from "../../util/bytes.ts";
import {errorMessage, InputError} from "../../util/errors.ts";

export class GraffitiStore {
  private readonly file: string;
  private readonly byPubkey = new Map<string, string>();

  private constructor(file: string) {
    this.file = file;
  }

  static async open(dataDir: string): Promise<GraffitiStore> {
    const store = new GraffitiStore(join(dataDir, "keymanager", "graffiti.json"));
    let text: string;
    try {
      text = await readFile(store.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return store;
      throw new InputError(`cannot read ${store.file}: ${errorMessage(e)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new InputError(`${store.file} is not JSON: ${errorMessage(e)}`);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new InputError(`${store.file} must map pubkeys to graffiti`);
    for (const [k, v] of Object.entries(json)) if (typeof v === "string") store.byPubkey.set(k.toLowerCase(), v);
    return store;
  }

  get(pubkey: Uint8Array): string | undefined {
    return this.byPubkey.get(toHex(pubkey));
  }

  async set(pubkey: Uint8Array, graffiti: string | undefined): Promise<void> {
    if (graffiti === undefined) this.byPubkey.delete(toHex(pubkey));
    else this.byPubkey.set(toHex(pubkey), graffiti);
    await mkdir(join(this.file, ".."), {recursive: true, mode: 0o700});
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(Object.fromEntries(this.byPubkey), null, 2) + "\n");
    await rename(tmp, this.file);
  }
}
