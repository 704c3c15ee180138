/**
 * Validator keys and deposit data as a staker makes them: `gnomon keys new` (a new mnemonic each
 * time, cheap keystore KDF for tests) for the network of the given chain config.
 */
import {readdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {exited, runGnomon} from "../helpers/processes.ts";

/** Runs a gnomon command to its end; its exit code and every line it printed. */
export async function runToEnd(args: string[]): Promise<{code: number | null; out: string}> {
  const p = runGnomon(args);
  const code = await exited(p);
  // Let the readline interfaces drain the last lines.
  await new Promise((r) => setImmediate(r));
  return {code, out: p.lines.join("\n")};
}

export interface NewKeys {
  /** The keystores' directory (also holds the deposit data file). */
  dir: string;
  depositData: string;
  passwordFile: string;
}

export async function keysNew(dir: string, configPath: string, count: number): Promise<NewKeys> {
  const passwordFile = join(dir, "..", "keystore-password.txt");
  writeFileSync(passwordFile, "gnomon-test-password\n");
  const {code, out} = await runToEnd(["keys", "new", "--count", String(count), "--out", dir, "--password-file", passwordFile, "--config", configPath, "--kdf", "pbkdf2", "--kdf-cost", "2"]);
  if (code !== 0) throw new Error(`gnomon keys new failed (${code}):\n${out}`);
  const file = readdirSync(dir).find((f) => /^deposit_data-\d+\.json$/.test(f));
  if (file === undefined) throw new Error(`no deposit_data-*.json in ${dir}`);
  return {dir, depositData: join(dir, file), passwordFile};
}
