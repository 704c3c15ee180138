/**
 * Keystores imported through the keymanager API, kept in the data dir so that they survive a
 * restart: `keymanager/keystores/<pubkey>.json` (the EIP-2335 file as given) and
 * `keymanager/secrets/<pubkey>` (its password), both 0600 in 0700 directories. Each file is
 * written to a temporary name and renamed, so a crash never leaves half a keystore.
 */
import {chmod, mkdir, readdir, readFile, rename, rm, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {toHex} from "../../util/bytes.ts";
import {errorMessage} from "../../util/errors.ts";
import {decryptKeystore, KeystoreError, parseKeystoreText} from "../keystore/index.ts";
import type {ValidatorKey} from "../keys/validatorKeys.ts";

export interface StoredKey extends ValidatorKey {
  path: string;
}

export class KeystoreStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "keymanager");
  }

  private get keystoreDir(): string {
    return join(this.dir, "keystores");
  }

  private get secretDir(): string {
    return join(this.dir, "secrets");
  }

  private async writePrivate(file: string, text: string): Promise<void> {
    const tmp = `${file}.tmp`;
    await writeFile(tmp, text, {mode: 0o600});
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  }

  async save(pubkey: Uint8Array, keystoreText: string, password: string): Promise<void> {
    await mkdir(this.keystoreDir, {recursive: true, mode: 0o700});
    await mkdir(this.secretDir, {recursive: true, mode: 0o700});
    const name = toHex(pubkey);
    // The password first: a keystore without its password could not be loaded at the next start.
    await this.writePrivate(join(this.secretDir, name), password);
    await this.writePrivate(join(this.keystoreDir, `${name}.json`), keystoreText);
  }

  async remove(pubkey: Uint8Array): Promise<void> {
    const name = toHex(pubkey);
    await rm(join(this.keystoreDir, `${name}.json`), {force: true});
    await rm(join(this.secretDir, name), {force: true});
  }

  /** Every stored key, decrypted; a stored key that cannot be opened stops the start with its reason. */
  async loadAll(): Promise<StoredKey[]> {
    let names: string[];
    try {
      names = (await readdir(this.keystoreDir)).filter((n) => /^0x[0-9a-f]{96}\.json$/.test(n)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new KeystoreError("KEYSTORE_DIR_UNREADABLE", `cannot read ${this.keystoreDir}: ${errorMessage(e)}`);
    }
    const out: StoredKey[] = [];
    for (const name of names) {
      const file = join(this.keystoreDir, name);
      try {
        const password = await readFile(join(this.secretDir, name.slice(0, -".json".length)), "utf8");
        const key = await decryptKeystore(parseKeystoreText(await readFile(file, "utf8")), password);
        out.push({pubkey: key.pubkey, secretKey: key.secretKey, source: file, path: key.path});
      } catch (e) {
        throw new KeystoreError("KEYSTORE_DIR_LOAD_FAILED", `keymanager keystore ${file} cannot be loaded: ${errorMessage(e)}`);
      }
    }
    return out;
  }
}
