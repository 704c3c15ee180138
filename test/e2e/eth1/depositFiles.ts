/**
 * Validator keys and deposit data as a staker makes them: `gnomon keys new` (a new mnemonic each
 * time, cheap keystore KDF for tests) for the network of the given chain config.
 */
import {readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {exited, runGnomon} from "../helpers/processes.ts";

export interface NewKeys {
  /** The keystores' directory (also holds the deposit data file). */
  dir: string;
  depositData: string;
  passwordFile: string;
}

export async function keysNew(dir: string, configPath: string, count: number): Promise<NewKeys> {
  const passwordFile = join(dir, "..", "keystore-password.txt");
  writeFileSync(passwordFile, "gnomon-test-password\n");
  const p = runGnomon(["keys", "new", "--count", String(count), "--out", dir, "--password-file", passwordFile, "--config", configPath, "--kdf", "pbkdf2", "--kdf-cost", "2"]);
  const code = await exited(p);
  if (code !== 0) throw new Error(`gnomon keys new failed (${code}):\n${p.lines.join("\n")}`);
  const file = readdirSync(dir).find((f) => /^deposit_data-\d+\.json$/.test(f));
  if (file === undefined) throw new Error(`no deposit_data-*.json in ${dir}`);
  return {dir, depositData: join(dir, file), passwordFile};
}
