/**
 * Setup speed for large inputs: a registry fresh from deserialization has no cached roots, and
 * hashing it node by node costs about 14 us per validator (14 s at 1Mi). Here all records are
 * merkleized in a few batched SHA-256 calls (the SSZ layout of Validator: pubkey root, then the
 * seven other fields, one chunk each, three levels) and each root is stored on its tree node, so
 * the registry hash only has the list's own levels left.
 *
 * Only for benchmark inputs, whose roots are then checked against INPUTS.md or the manifest: a
 * wrong root here cannot go unnoticed.
 */
import {byteArrayToHashObject} from "@chainsafe/as-sha256";
import {getNodesAtDepth, hashInto} from "@chainsafe/persistent-merkle-tree";
import {ssz, type BeaconStateView} from "../../src/types/index.ts";

/** Validators per batch: bounds the scratch buffers (256 bytes of chunks per validator). */
const BATCH = 65536;

function writeUint64(view: DataView, offset: number, value: number): void {
  if (value === Infinity) {
    view.setBigUint64(offset, 0xffffffffffffffffn, true);
    return;
  }
  view.setUint32(offset, value % 2 ** 32, true);
  view.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
}

export function prehashValidators(validators: BeaconStateView["validators"]): void {
  const n = validators.length;
  if (n === 0) return;
  const values = validators.getAllReadonlyValues();
  const nodes = getNodesAtDepth(validators.node.left, ssz.BeaconState.fields.validators.chunkDepth, 0, n);

  const size = Math.min(n, BATCH);
  const pubkeyBlocks = new Uint8Array(size * 64);
  const pubkeyRoots = new Uint8Array(size * 32);
  const chunks = new Uint8Array(size * 256);
  const chunkView = new DataView(chunks.buffer);
  const level1 = new Uint8Array(size * 128);
  const level2 = new Uint8Array(size * 64);
  const roots = new Uint8Array(size * 32);

  for (let start = 0; start < n; start += BATCH) {
    const count = Math.min(BATCH, n - start);
    pubkeyBlocks.fill(0);
    for (let i = 0; i < count; i++) pubkeyBlocks.set(values[start + i].pubkey, i * 64);
    hashInto(pubkeyBlocks.subarray(0, count * 64), pubkeyRoots.subarray(0, count * 32));

    chunks.fill(0);
    for (let i = 0; i < count; i++) {
      const v = values[start + i];
      const o = i * 256;
      chunks.set(pubkeyRoots.subarray(i * 32, i * 32 + 32), o);
      chunks.set(v.withdrawal_credentials, o + 32);
      writeUint64(chunkView, o + 64, v.effective_balance);
      chunks[o + 96] = v.slashed ? 1 : 0;
      writeUint64(chunkView, o + 128, v.activation_eligibility_epoch);
      writeUint64(chunkView, o + 160, v.activation_epoch);
      writeUint64(chunkView, o + 192, v.exit_epoch);
      writeUint64(chunkView, o + 224, v.withdrawable_epoch);
    }
    hashInto(chunks.subarray(0, count * 256), level1.subarray(0, count * 128));
    hashInto(level1.subarray(0, count * 128), level2.subarray(0, count * 64));
    hashInto(level2.subarray(0, count * 64), roots.subarray(0, count * 32));
    for (let i = 0; i < count; i++) nodes[start + i].applyHash(byteArrayToHashObject(roots, i * 32));
  }
}
