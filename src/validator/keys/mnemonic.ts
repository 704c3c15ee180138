/**
 * BIP-39 mnemonics for validator keys: 24 English words (256 bits of entropy), checked against
 * the word list and checksum before a seed is derived from them, so a typo is an error and
 * never a silently different set of keys.
 */
import {generateMnemonic, mnemonicToSeedSync, validateMnemonic} from "@scure/bip39";
import {wordlist} from "@scure/bip39/wordlists/english.js";
import {InputError} from "../../util/errors.ts";

export function newMnemonic(): string {
  return generateMnemonic(wordlist, 256);
}

/** Words separated by any whitespace, in any case, as people type or paste them. */
export function normalizeMnemonic(text: string): string {
  return text.normalize("NFKD").trim().toLowerCase().split(/\s+/).join(" ");
}

export function assertValidMnemonic(mnemonic: string): void {
  const words = mnemonic.split(" ");
  if (![12, 15, 18, 21, 24].includes(words.length)) throw new InputError(`a mnemonic has 12, 15, 18, 21 or 24 words, got ${words.length}`);
  const unknown = words.filter((w) => !wordlist.includes(w));
  if (unknown.length > 0) throw new InputError(`the mnemonic has ${unknown.length} word(s) that are not in the BIP-39 English word list`);
  if (!validateMnemonic(mnemonic, wordlist)) throw new InputError("the mnemonic's checksum does not match: a word is wrong or out of order");
}

/** BIP-39 mnemonic_to_seed (64 bytes), the ERC-2333 master key's input. */
export function mnemonicToSeed(mnemonic: string, passphrase = ""): Uint8Array {
  const m = normalizeMnemonic(mnemonic);
  assertValidMnemonic(m);
  return mnemonicToSeedSync(m, passphrase);
}
