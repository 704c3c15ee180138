/**
 * EIP-3076 export in the "complete" style: every stored block and attestation of the chosen
 * validators, in slot/target order, with signing roots where known. Export only while no
 * signer is running, or the file is stale the moment it is written.
 */
import {fromHex, toHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";
import {assertStoreGenesisValidatorsRoot, toRoot} from "./importInterchange.ts";
import {INTERCHANGE_FORMAT_VERSION, type InterchangeDataJson, type InterchangeJson} from "./interchangeFormat.ts";
import {PUBKEY_LENGTH} from "./keys.ts";
import {withStore, type SlashingProtectionStore} from "./store.ts";

function toPubkey(pubkey: Uint8Array | string): Uint8Array {
  if (typeof pubkey === "string") return fromHex(pubkey, PUBKEY_LENGTH);
  if (!(pubkey instanceof Uint8Array) || pubkey.length !== PUBKEY_LENGTH) throw new InputError(`pubkey must be ${PUBKEY_LENGTH} bytes`);
  return pubkey;
}

/**
 * The interchange for `pubkeys` (default: every validator in the store). A requested
 * validator the store knows nothing about is exported with empty histories.
 */
export async function exportInterchange(
  storeOrPath: SlashingProtectionStore | string,
  genesisValidatorsRoot: Uint8Array | string,
  pubkeys?: (Uint8Array | string)[]
): Promise<InterchangeJson> {
  const gvr = toRoot(genesisValidatorsRoot, "genesis validators root");
  const requested = pubkeys?.map(toPubkey);
  return withStore(storeOrPath, async (store) => {
    await assertStoreGenesisValidatorsRoot(store.repo, gvr);
    const chosen = requested ?? (await store.repo.pubkeys());
    const data = await store.withLocks(chosen, () =>
      Promise.all(
        chosen.map(async (pubkey): Promise<InterchangeDataJson> => ({
          pubkey: toHex(pubkey),
          signed_blocks: (await store.repo.blocks(pubkey)).map((b) => ({
            slot: String(b.slot),
            ...(b.signingRoot === null ? {} : {signing_root: toHex(b.signingRoot)}),
          })),
          signed_attestations: (await store.repo.attestations(pubkey)).map((a) => ({
            source_epoch: String(a.sourceEpoch),
            target_epoch: String(a.targetEpoch),
            ...(a.signingRoot === null ? {} : {signing_root: toHex(a.signingRoot)}),
          })),
        }))
      )
    );
    return {metadata: {interchange_format_version: INTERCHANGE_FORMAT_VERSION, genesis_validators_root: toHex(gvr)}, data};
  });
}
