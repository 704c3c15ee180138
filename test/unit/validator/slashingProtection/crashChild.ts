/**
 * Child process for durability.test.ts: asks for permission to sign, reports the grant, then
 * dies by SIGKILL before anything could be flushed or closed gracefully.
 */
import {writeSync} from "node:fs";
import {SlashingProtectionStore} from "../../../../src/validator/slashingProtection/store.ts";

const [path, kind] = process.argv.slice(2);
const store = await SlashingProtectionStore.open(path);
const pubkey = new Uint8Array(48).fill(1);
const root = new Uint8Array(32).fill(1);
const outcome = kind === "block" ? await store.checkAndInsertBlock(pubkey, 5, root) : await store.checkAndInsertAttestation(pubkey, 3, 4, root);
writeSync(1, `granted ${outcome}\n`);
process.kill(process.pid, "SIGKILL");
