/** beacon-chain.md compute_fork_data_root, compute_domain, get_domain, compute_signing_root. */
import {ssz, type BeaconStateView, type Epoch} from "../../types/index.ts";
import {computeEpochAtSlot} from "./epoch.ts";

const ZERO_ROOT = new Uint8Array(32);

export function computeForkDataRoot(currentVersion: Uint8Array, genesisValidatorsRoot: Uint8Array): Uint8Array {
  return ssz.ForkData.hashTreeRoot({current_version: currentVersion, genesis_validators_root: genesisValidatorsRoot});
}

/** compute_fork_digest (p2p-interface.md, phase0): the first 4 bytes of the fork data root. */
export function computeForkDigest(currentVersion: Uint8Array, genesisValidatorsRoot: Uint8Array): Uint8Array {
  return computeForkDataRoot(currentVersion, genesisValidatorsRoot).slice(0, 4);
}

/** Domains are a pure function of three short byte strings and few in number: remember them. */
const domainCache = new Map<string, Uint8Array>();
const DOMAIN_CACHE_LIMIT = 1024;

export function computeDomain(
  domainType: Uint8Array,
  forkVersion: Uint8Array,
  genesisValidatorsRoot: Uint8Array = ZERO_ROOT
): Uint8Array {
  const key = hexOf(domainType) + hexOf(forkVersion) + hexOf(genesisValidatorsRoot);
  const known = domainCache.get(key);
  if (known !== undefined) return known.slice();
  const forkDataRoot = computeForkDataRoot(forkVersion, genesisValidatorsRoot);
  const domain = new Uint8Array(32);
  domain.set(domainType, 0);
  domain.set(forkDataRoot.subarray(0, 28), 4);
  if (domainCache.size >= DOMAIN_CACHE_LIMIT) domainCache.clear();
  domainCache.set(key, domain.slice());
  return domain;
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** get_domain; `epoch` defaults to the state's current epoch. */
export function getDomain(state: BeaconStateView, domainType: Uint8Array, epoch?: Epoch): Uint8Array {
  const e = epoch ?? computeEpochAtSlot(state.slot);
  const fork = state.fork;
  const version = e < fork.epoch ? fork.previous_version : fork.current_version;
  return computeDomain(domainType, version, state.genesis_validators_root);
}

/** compute_signing_root from an object's hash_tree_root (callers hash with the right type). */
export function computeSigningRootFromRoot(objectRoot: Uint8Array, domain: Uint8Array): Uint8Array {
  return ssz.SigningData.hashTreeRoot({object_root: objectRoot, domain});
}

/** compute_signing_root(ssz_object, domain) for any SSZ type. */
export function computeSigningRoot<T>(type: {hashTreeRoot(value: T): Uint8Array}, value: T, domain: Uint8Array): Uint8Array {
  return computeSigningRootFromRoot(type.hashTreeRoot(value), domain);
}
