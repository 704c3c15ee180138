/**
 * `gnomon keys new`: validator keys from a mnemonic's seed along ERC-2334 paths, each in an
 * EIP-2335 keystore, with one deposit data entry per key. Nothing here prints the mnemonic or
 * a secret; the command decides what the user sees.
 */
import {mkdir, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {createKeystore, deriveSecretKeyFromPath, validatorSigningKeyPath, type CreateKeystoreOptions, type KeystoreJson} from "../keystore/index.ts";
import {systemTime} from "../../clock/index.ts";
import {InputError} from "../../util/errors.ts";
import {depositDataJson, signDepositData, type DepositDataJson} from "./depositData.ts";
import {blsWithdrawalCredentials, eth1AddressWithdrawalCredentials, validatorWithdrawalKeyPath} from "./withdrawalCredentials.ts";

export type WithdrawalTarget = {kind: "bls"} | {kind: "address"; address: Uint8Array};

export interface NewKeysOptions {
  seed: Uint8Array;
  startIndex: number;
  count: number;
  password: string;
  withdrawal: WithdrawalTarget;
  /** Gwei per deposit. */
  amount: number;
  forkVersion: Uint8Array;
  networkName: string;
  keystore?: Pick<CreateKeystoreOptions, "kdf" | "n" | "c">;
  /** Called after each key (a keystore at the EIP's scrypt cost takes about a second). */
  onKey?: (done: number, total: number) => void;
}

export interface NewKey {
  index: number;
  path: string;
  keystore: KeystoreJson;
  deposit: DepositDataJson;
}

const MAX_INDEX = 2 ** 32 - 1;

export async function newValidatorKeys(opts: NewKeysOptions): Promise<NewKey[]> {
  if (!Number.isSafeInteger(opts.count) || opts.count < 1) throw new InputError(`the key count must be a positive integer, got ${opts.count}`);
  if (!Number.isSafeInteger(opts.startIndex) || opts.startIndex < 0 || opts.startIndex + opts.count - 1 > MAX_INDEX) {
    throw new InputError(`key indices ${opts.startIndex}..${opts.startIndex + opts.count - 1} do not fit ERC-2334's 32-bit indices`);
  }
  const out: NewKey[] = [];
  for (let index = opts.startIndex; index < opts.startIndex + opts.count; index++) {
    const path = validatorSigningKeyPath(index);
    const signingKey = deriveSecretKeyFromPath(opts.seed, path);
    const credentials =
      opts.withdrawal.kind === "address"
        ? eth1AddressWithdrawalCredentials(opts.withdrawal.address)
        : blsWithdrawalCredentials(deriveSecretKeyFromPath(opts.seed, validatorWithdrawalKeyPath(index)).toPublicKey().toBytes(true));
    const deposit = depositDataJson(signDepositData(signingKey, credentials, opts.amount, opts.forkVersion), opts.forkVersion, opts.networkName);
    const keystore = await createKeystore(signingKey, opts.password, {...opts.keystore, path});
    out.push({index, path, keystore, deposit});
    opts.onKey?.(out.length, opts.count);
  }
  return out;
}

export interface WrittenKeys {
  keystoreFiles: string[];
  depositDataFile: string;
}

/** Writes the keystores and the deposit data file; refuses to overwrite any existing file. */
export async function writeValidatorKeys(dir: string, keys: NewKey[], timestamp = Math.floor(systemTime.now() / 1000)): Promise<WrittenKeys> {
  await mkdir(dir, {recursive: true});
  const write = async (name: string, value: unknown): Promise<string> => {
    const file = join(dir, name);
    try {
      await writeFile(file, JSON.stringify(value, null, 2) + "\n", {flag: "wx", mode: 0o600});
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(code === "EEXIST" ? `${file} already exists; not overwriting it` : `cannot write ${file}: ${code ?? (e as Error).message}`);
    }
    return file;
  };
  const keystoreFiles: string[] = [];
  for (const k of keys) keystoreFiles.push(await write(`keystore-${k.path.replaceAll("/", "_")}-${timestamp}.json`, k.keystore));
  const depositDataFile = await write(`deposit_data-${timestamp}.json`, keys.map((k) => k.deposit));
  return {keystoreFiles, depositDataFile};
}
