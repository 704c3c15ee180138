/**
 * Loads states and blocks of the shared reference vectors (minimal preset) for unit tests that
 * need a realistic, signed chain segment. The caller selects the minimal preset first.
 */
import {readFileSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {uncompressSnappyBlock} from "../../../spec-tests/harness/snappy.ts";
import {ssz, type BeaconStateView, type SignedBeaconBlock} from "../../../src/types/index.ts";

const VECTORS = fileURLToPath(new URL("../../../../shared/spec-tests/tests/minimal/phase0/", import.meta.url));

export function vectorDir(path: string): string {
  return (process.env.SPEC_TESTS_DIR ? `${process.env.SPEC_TESTS_DIR}/tests/minimal/phase0/` : VECTORS) + path;
}

function readSsz(path: string): Uint8Array {
  return uncompressSnappyBlock(readFileSync(vectorDir(path)));
}

export function loadVectorState(path: string): BeaconStateView {
  return ssz.BeaconState.deserializeToViewDU(readSsz(path));
}

export function loadVectorBlock(path: string): SignedBeaconBlock {
  return ssz.SignedBeaconBlock.deserialize(readSsz(path));
}
