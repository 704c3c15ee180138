/**
 * Spec constants that do not vary by preset (beacon-chain.md, validator.md, p2p-interface.md,
 * fork-choice.md, deposit-contract.md).
 */

/** 2**64 - 1. As a `number` it is not exact: @chainsafe/ssz decodes this uint64 as `Infinity`. */
export const UINT64_MAX = Infinity;
export const UINT64_MAX_BIGINT = 2n ** 64n - 1n;
export const UINT64_MAX_SQRT = 4294967295;
export const GENESIS_SLOT = 0;
export const GENESIS_EPOCH = 0;
/** Epoch(2**64 - 1), decoded by @chainsafe/ssz as `Infinity` and encoded back to 0xff..ff. */
export const FAR_FUTURE_EPOCH = Infinity;
export const BASE_REWARDS_PER_EPOCH = 4;
export const DEPOSIT_CONTRACT_TREE_DEPTH = 32;
export const JUSTIFICATION_BITS_LENGTH = 4;

export const BLS_WITHDRAWAL_PREFIX = 0x00;
export const ETH1_ADDRESS_WITHDRAWAL_PREFIX = 0x01;

export const DOMAIN_BEACON_PROPOSER = Uint8Array.of(0, 0, 0, 0);
export const DOMAIN_BEACON_ATTESTER = Uint8Array.of(1, 0, 0, 0);
export const DOMAIN_RANDAO = Uint8Array.of(2, 0, 0, 0);
export const DOMAIN_DEPOSIT = Uint8Array.of(3, 0, 0, 0);
export const DOMAIN_VOLUNTARY_EXIT = Uint8Array.of(4, 0, 0, 0);
export const DOMAIN_SELECTION_PROOF = Uint8Array.of(5, 0, 0, 0);
export const DOMAIN_AGGREGATE_AND_PROOF = Uint8Array.of(6, 0, 0, 0);
export const DOMAIN_APPLICATION_MASK = Uint8Array.of(0, 0, 0, 1);

// validator.md
export const TARGET_AGGREGATORS_PER_COMMITTEE = 16;
export const EPOCHS_PER_RANDOM_SUBNET_SUBSCRIPTION = 256;

// fork-choice.md
export const BASIS_POINTS = 10000;

// p2p-interface.md
export const NODE_ID_BITS = 256;
export const MAX_CONCURRENT_REQUESTS = 2;

/** BLS signature of the point at infinity (used by empty aggregates). */
export const G2_POINT_AT_INFINITY = (() => {
  const b = new Uint8Array(96);
  b[0] = 0xc0;
  return b;
})();
export const ZERO_HASH = new Uint8Array(32);
