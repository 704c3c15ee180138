/**
 * The keymanager API's bearer token: 256 random bits as hex in a file of the data dir, created
 * with mode 0600 on first start and reused afterwards, so staking tools configured once keep
 * working across restarts. A token file that exists but is unreadable or too short is an error,
 * never silently replaced.
 */
import {randomBytes, timingSafeEqual} from "node:crypto";
import {chmod, mkdir, readFile, writeFile} from "node:fs/promises";
import {dirname} from "node:path";
import {errorMessage, InputError} from "../../util/errors.ts";

const MIN_TOKEN_HEX = 64;

export async function loadOrCreateToken(file: string): Promise<string> {
  let text: string | null = null;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new InputError(`cannot read the keymanager token file ${file}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
  if (text !== null) {
    const token = text.trim();
    if (!/^(0x)?[0-9a-fA-F]+$/.test(token) || token.replace(/^0x/, "").length < MIN_TOKEN_HEX) {
      throw new InputError(`the keymanager token in ${file} must be hex of at least 256 bits`);
    }
    return token;
  }
  const token = randomBytes(32).toString("hex");
  await mkdir(dirname(file), {recursive: true, mode: 0o700});
  await writeFile(file, token + "\n", {mode: 0o600, flag: "wx"});
  await chmod(file, 0o600);
  return token;
}

/** `Authorization: Bearer <token>` holds the token (constant-time comparison). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (header === undefined) return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (m === null) return false;
  const given = Buffer.from(m[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
