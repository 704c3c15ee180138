/**
 * SHA-256 (the spec's `hash`). Small inputs (seeds, shuffling sources, Merkle nodes) go to
 * @chainsafe/as-sha256, whose WebAssembly core avoids node:crypto's per-call object overhead;
 * larger inputs go to node:crypto, whose native (SHA-NI) core wins once a few blocks are hashed.
 * The crossover was measured on the development machine at roughly 128-256 bytes.
 */
import * as as from "@chainsafe/as-sha256";
import {hash as nodeHash} from "node:crypto";

/** Inputs up to this many bytes use the WebAssembly hasher. */
const WASM_MAX_INPUT = 128;

/** SHA-256 of `data`. Always a fresh 32-byte array owned by the caller. */
export function digest(data: Uint8Array): Uint8Array {
  if (data.length <= WASM_MAX_INPUT) return as.digest(data);
  const out = nodeHash("sha256", data, "buffer");
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** SHA-256 of the 64-byte concatenation `a32 ++ b32` (a Merkle parent node). */
export function digest64(a32: Uint8Array, b32: Uint8Array): Uint8Array {
  return as.digest2Bytes32(a32, b32);
}

/** Like digest64 but writes the 32-byte result into `out` (no allocation). */
export function digest64Into(a32: Uint8Array, b32: Uint8Array, out: Uint8Array): void {
  as.digest2Bytes32Into(a32, b32, out);
}
