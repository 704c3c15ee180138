/**
 * EIP-3076 import. Every imported message is stored (so an exact re-sign of it stays
 * possible), and the validator's low watermarks rise to the interchange's maximum slot, source
 * and target, merged with what the store already has (the EIP's advice for minimal databases):
 * nothing at or below an imported message can be signed afresh, which also closes any gap
 * between separately imported histories. Records that collide with an existing one at the same
 * slot/target keep the larger source and lose their signing root (they then refuse every new
 * message there). Slashable data inside the file is therefore accepted and made harmless.
 * Validation happens before any write; the whole import is one fsync'd batch.
 */
import {bytesEqual, fromHex, toHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";
import {InterchangeError} from "./errors.ts";
import {parseInterchangeInput, type InterchangeData} from "./interchangeFormat.ts";
import {ROOT_LENGTH} from "./keys.ts";
import {maxOrNull, mergeSigningRoots, sameSigningRoot, type AttestationRecord, type SigningRoot} from "./records.ts";
import {putAttestation, putBlock, putGenesisValidatorsRoot, putWatermarks, type SlashingRepository, type WriteOp} from "./repository.ts";
import {META_LOCK, withStore, type SlashingProtectionStore} from "./store.ts";

export interface ImportSummary {
  validators: number;
  blocks: number;
  attestations: number;
}

/** Accepts a root as bytes or hex; anything else is a caller error. */
export function toRoot(root: Uint8Array | string, what: string): Uint8Array {
  if (typeof root === "string") return fromHex(root, ROOT_LENGTH);
  if (!(root instanceof Uint8Array) || root.length !== ROOT_LENGTH) throw new InputError(`${what} must be ${ROOT_LENGTH} bytes`);
  return root;
}

/** Refuses when the store already belongs to another chain. */
export async function assertStoreGenesisValidatorsRoot(repo: SlashingRepository, gvr: Uint8Array): Promise<Uint8Array | null> {
  const stored = await repo.getGenesisValidatorsRoot();
  if (stored !== null && !bytesEqual(stored, gvr)) {
    throw new InterchangeError(
      "GENESIS_VALIDATORS_ROOT_MISMATCH",
      `the slashing protection database belongs to genesis_validators_root ${toHex(stored)}, not ${toHex(gvr)}`
    );
  }
  return stored;
}

/** All entries of one validator (the EIP allows a pubkey to appear more than once). */
function groupByPubkey(data: InterchangeData[]): Map<string, InterchangeData> {
  const groups = new Map<string, InterchangeData>();
  for (const entry of data) {
    const key = toHex(entry.pubkey);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, {pubkey: entry.pubkey, blocks: [...entry.blocks], attestations: [...entry.attestations]});
    else {
      group.blocks.push(...entry.blocks);
      group.attestations.push(...entry.attestations);
    }
  }
  return groups;
}

function mergeAttestation(a: AttestationRecord, b: AttestationRecord): AttestationRecord {
  return {
    sourceEpoch: Math.max(a.sourceEpoch, b.sourceEpoch),
    targetEpoch: a.targetEpoch,
    signingRoot: a.sourceEpoch === b.sourceEpoch ? mergeSigningRoots(a.signingRoot, b.signingRoot) : null,
  };
}

async function validatorOps(repo: SlashingRepository, entry: InterchangeData): Promise<WriteOp[]> {
  const {pubkey} = entry;
  const ops: WriteOp[] = [];

  const blocks = new Map<number, SigningRoot>();
  for (const b of entry.blocks) blocks.set(b.slot, blocks.has(b.slot) ? mergeSigningRoots(blocks.get(b.slot)!, b.signingRoot) : b.signingRoot);
  const slots = [...blocks.keys()];
  const storedBlocks = await repo.getBlocksAt(pubkey, slots);
  slots.forEach((slot, i) => {
    const stored = storedBlocks[i];
    const imported = blocks.get(slot)!;
    if (stored === null) ops.push(putBlock(pubkey, slot, imported));
    else if (!sameSigningRoot(stored.signingRoot, imported) && stored.signingRoot !== null) ops.push(putBlock(pubkey, slot, null));
  });

  const atts = new Map<number, AttestationRecord>();
  for (const a of entry.attestations) {
    const prev = atts.get(a.targetEpoch);
    atts.set(a.targetEpoch, prev === undefined ? {...a} : mergeAttestation(prev, a));
  }
  const targets = [...atts.keys()];
  const storedAtts = await repo.getAttestationsAt(pubkey, targets);
  targets.forEach((target, i) => {
    const stored = storedAtts[i];
    const imported = atts.get(target)!;
    const merged = stored === null ? imported : mergeAttestation(stored, imported);
    const unchanged = stored !== null && stored.sourceEpoch === merged.sourceEpoch && (stored.signingRoot === null) === (merged.signingRoot === null);
    if (!unchanged) ops.push(putAttestation(pubkey, merged.sourceEpoch, target, merged.signingRoot));
  });

  const max = (values: number[]): number | null => (values.length === 0 ? null : values.reduce((m, v) => (v > m ? v : m)));
  const w = await repo.getWatermarks(pubkey);
  ops.push(
    putWatermarks(pubkey, {
      blockSlot: maxOrNull(w.blockSlot, max(slots)),
      sourceEpoch: maxOrNull(w.sourceEpoch, max(entry.attestations.map((a) => a.sourceEpoch))),
      targetEpoch: maxOrNull(w.targetEpoch, max(targets)),
    })
  );
  return ops;
}

/**
 * Imports an EIP-3076 interchange (JSON text or value) for the chain identified by
 * `genesisValidatorsRoot`. All or nothing: a malformed file, a different chain or a failed
 * write leaves the store untouched. Import only while no signer is running.
 */
export async function importInterchange(
  storeOrPath: SlashingProtectionStore | string,
  input: unknown,
  genesisValidatorsRoot: Uint8Array | string
): Promise<ImportSummary> {
  const gvr = toRoot(genesisValidatorsRoot, "genesis validators root");
  const interchange = parseInterchangeInput(input);
  if (!bytesEqual(interchange.genesisValidatorsRoot, gvr)) {
    throw new InterchangeError(
      "GENESIS_VALIDATORS_ROOT_MISMATCH",
      `interchange is for genesis_validators_root ${toHex(interchange.genesisValidatorsRoot)}, not ${toHex(gvr)}`
    );
  }
  const groups = [...groupByPubkey(interchange.data).values()];

  return withStore(storeOrPath, (store) =>
    store.withLocks(
      groups.map((g) => g.pubkey),
      async () => {
        const ops: WriteOp[] = [];
        if ((await assertStoreGenesisValidatorsRoot(store.repo, gvr)) === null) ops.push(putGenesisValidatorsRoot(gvr));
        for (const group of groups) ops.push(...(await validatorOps(store.repo, group)));
        await store.repo.write(ops);
        return {
          validators: groups.length,
          blocks: interchange.data.reduce((n, d) => n + d.blocks.length, 0),
          attestations: interchange.data.reduce((n, d) => n + d.attestations.length, 0),
        };
      },
      [META_LOCK]
    )
  );
}
