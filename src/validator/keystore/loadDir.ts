/**
 * `--keystores DIR --password-file F`: every `*.json` file directly in DIR is an EIP-2335
 * keystore decrypted with the one password, except `deposit_data*.json`, which deposit tools
 * write next to the keystores. Any failure (unreadable, malformed, wrong password,
 * duplicate key) fails the whole load with a list of each file and its reason, so that a
 * validator never starts silently short of keys.
 */
import {readdir, readFile} from "node:fs/promises";
import {join} from "node:path";
import {toHex} from "../../util/bytes.ts";
import {errorMessage} from "../../util/errors.ts";
import {decryptKeystore, type DecryptedKeystore} from "./decrypt.ts";
import {KeystoreDirError, KeystoreError, type KeystoreFileFailure} from "./errors.ts";
import {parseKeystoreText} from "./parse.ts";

export interface LoadedKeystore extends DecryptedKeystore {
  /** Path of the keystore file. */
  file: string;
}

export interface LoadKeystoresOptions {
  /**
   * Keystores decrypted at once. Each scrypt keystore with the EIP's parameters holds 256 MiB
   * while it is being derived, so keep this small.
   */
  concurrency?: number;
}

function isKeystoreFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith(".json") && !lower.startsWith("deposit_data");
}

/** Reads a password file; the trailing newline is a control code that normalization strips. */
export async function readPasswordFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new KeystoreError("KEYSTORE_UNREADABLE", `cannot read password file ${file}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
}

async function loadOne(file: string, password: string): Promise<LoadedKeystore> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new KeystoreError("KEYSTORE_UNREADABLE", `cannot read file: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
  const decrypted = await decryptKeystore(parseKeystoreText(text), password);
  return {...decrypted, file};
}

/** Keystores of DIR in file-name order; `[]` when DIR holds no `*.json` file. */
export async function loadKeystoresFromDir(dir: string, password: string, opts: LoadKeystoresOptions = {}): Promise<LoadedKeystore[]> {
  let names: string[];
  try {
    const entries = await readdir(dir, {withFileTypes: true});
    names = entries.filter((e) => e.isFile() && isKeystoreFileName(e.name)).map((e) => e.name);
  } catch (e) {
    throw new KeystoreError("KEYSTORE_DIR_UNREADABLE", `cannot read keystore directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
  names.sort();

  const results: (LoadedKeystore | undefined)[] = new Array(names.length);
  const failures: KeystoreFileFailure[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const i = next++;
      try {
        results[i] = await loadOne(join(dir, names[i]), password);
      } catch (e) {
        const code = e instanceof KeystoreError ? e.code : "KEYSTORE_UNREADABLE";
        failures.push({file: names[i], code, message: errorMessage(e)});
      }
    }
  };
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 2, names.length));
  await Promise.all(Array.from({length: concurrency}, worker));

  const firstFileOf = new Map<string, string>();
  for (let i = 0; i < results.length; i++) {
    const loaded = results[i];
    if (loaded === undefined) continue;
    const key = toHex(loaded.pubkey);
    const first = firstFileOf.get(key);
    if (first === undefined) firstFileOf.set(key, names[i]);
    else failures.push({file: names[i], code: "KEYSTORE_DUPLICATE_PUBKEY", message: `same public key ${key} as ${first}`});
  }
  if (failures.length > 0) {
    failures.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    throw new KeystoreDirError(dir, failures);
  }
  return results as LoadedKeystore[];
}
