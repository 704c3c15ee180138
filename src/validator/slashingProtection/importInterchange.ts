/**
 * EIP-3076 import for a store that keeps every record (the complete strategy). Every imported
 * message is stored with its signing root, so exact re-signs stay possible and the surround
 * and double-vote rules see the whole history. The low watermarks of conditions (2), (4) and
 * (5) become the larger of the stored bound and the file's minimum slot, source and target:
 * nothing below what a file covers can be signed afresh, and no gap between two files' ranges
 * opens. Records that collide with an existing one at the same slot/target keep the larger
 * source and lose their signing root (they then refuse every new message there), so slashable
 * data inside a file is accepted and made harmless. Validation happens before any write; the
 * whole import is one fsync'd batch.
 */
import {bytesEqual, fromHex, toHex} from "../../util/bytes.ts";
import {InputError} from "../../util/errors.ts";
import {InterchangeError} from "./errors.ts";
import {parseInterchangeInput, type InterchangeData} from "./interchangeFormat.ts";
import {ROOT_LENGTH} from "./keys.ts";
import {maxOrNull, mergeSigningRoots, sameSigningRoot, type AttestationRecord, type SigningRoot} from "./records.ts";
import {putAttestation, putBlock, putInvertedAttestation, putGenesisValidatorsRoot, putWatermarks, type SlashingRepository, type WriteOp} from "./repository.ts";
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

const min = (values: number[]): number | null => (values.length === 0 ? null : values.reduce((m, v) => (v < m ? v : m)));
const max = (values: number[]): number | null => (values.length === 0 ? null : values.reduce((m, v) => (v > m ? v : m)));

/** Two records of one slot/target that can be the same message: equal roots, or both unknown. */
function sameRecordRoot(a: SigningRoot, b: SigningRoot): boolean {
  return (a === null && b === null) || sameSigningRoot(a, b);
}

/** Whether an imported attestation and a stored one are a surround pair. */
async function surroundsStored(repo: SlashingRepository, pubkey: Uint8Array, a: AttestationRecord): Promise<boolean> {
  return (await repo.findSurroundedBy(pubkey, a.sourceEpoch, a.targetEpoch)) !== null || (await repo.findSurrounding(pubkey, a.sourceEpoch, a.targetEpoch)) !== null;
}

async function validatorOps(repo: SlashingRepository, entry: InterchangeData): Promise<WriteOp[]> {
  const {pubkey} = entry;
  const ops: WriteOp[] = [];

  const blocks = new Map<number, SigningRoot>();
  for (const b of entry.blocks) blocks.set(b.slot, blocks.has(b.slot) ? mergeSigningRoots(blocks.get(b.slot)!, b.signingRoot) : b.signingRoot);
  const slots = [...blocks.keys()];
  const storedBlocks = await repo.getBlocksAt(pubkey, slots);
  let blocksConflict = false;
  slots.forEach((slot, i) => {
    const stored = storedBlocks[i];
    const imported = blocks.get(slot)!;
    if (stored !== null && !sameRecordRoot(stored.signingRoot, imported)) blocksConflict = true;
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
  let attestationsConflict = false;
  for (const [i, target] of targets.entries()) {
    const stored = storedAtts[i];
    const a = atts.get(target)!;
    if (stored !== null ? stored.sourceEpoch !== a.sourceEpoch || !sameRecordRoot(stored.signingRoot, a.signingRoot) : await surroundsStored(repo, pubkey, a)) {
      attestationsConflict = true;
      break;
    }
  }
  targets.forEach((target, i) => {
    const stored = storedAtts[i];
    const imported = atts.get(target)!;
    const merged = stored === null ? imported : mergeAttestation(stored, imported);
    const unchanged = stored !== null && stored.sourceEpoch === merged.sourceEpoch && (stored.signingRoot === null) === (merged.signingRoot === null);
    if (unchanged) return;
    ops.push(putAttestation(pubkey, merged.sourceEpoch, target, merged.signingRoot));
    if (merged.sourceEpoch > target) ops.push(putInvertedAttestation(pubkey, merged.sourceEpoch, target, merged.signingRoot));
  });

  // Conditions (2), (4), (5) of each import hold forever: the bound is the largest of the
  // imports' minimums, which also closes any gap between separately imported histories. A file
  // that contradicts the stored history (another record at a slot, a double or surround vote)
  // means two signers used the key: their histories cannot be trusted to be complete, so the
  // bound rises to the newest message either of them knows.
  const w = await repo.getWatermarks(pubkey);
  const sources = entry.attestations.map((a) => a.sourceEpoch);
  let blockBound = min(slots);
  if (blocksConflict) blockBound = max([...slots, ...(await repo.blocks(pubkey)).map((b) => b.slot)]);
  let sourceBound = min(sources);
  let targetBound = min(targets);
  if (attestationsConflict) {
    const stored = await repo.attestations(pubkey);
    sourceBound = max([...sources, ...stored.map((a) => a.sourceEpoch)]);
    targetBound = max([...targets, ...stored.map((a) => a.targetEpoch)]);
  }
  ops.push(
    putWatermarks(pubkey, {
      blockSlot: maxOrNull(w.blockSlot, blockBound),
      sourceEpoch: maxOrNull(w.sourceEpoch, sourceBound),
      targetEpoch: maxOrNull(w.targetEpoch, targetBound),
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
