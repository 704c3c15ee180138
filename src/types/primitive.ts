/**
 * SSZ primitives of phase0. uint64 values live in JS `number`s: exact below 2**53, with 2**64-1
 * (FAR_FUTURE_EPOCH) represented as `Infinity`. Nothing Gnomon computes on reaches 2**53, and the
 * places where the spec can overflow check it explicitly (see state-transition/util/math.ts).
 */
import {BooleanType, ByteVectorType, UintNumberType, UintBigintType} from "@chainsafe/ssz";

export const Boolean = new BooleanType();
export const Uint8 = new UintNumberType(1);
export const Uint16 = new UintNumberType(2);
export const Uint32 = new UintNumberType(4);
export const Uint64 = new UintNumberType(8, {clipInfinity: true});
/** Exact uint64 for values that can exceed 2**53 (e.g. request counters, config values). */
export const Uint64Bigint = new UintBigintType(8);
export const Uint256 = new UintBigintType(32);

export const Slot = Uint64;
export const Epoch = Uint64;
export const CommitteeIndex = Uint64;
export const ValidatorIndex = Uint64;
export const Gwei = Uint64;

export const Bytes4 = new ByteVectorType(4);
export const Bytes20 = new ByteVectorType(20);
export const Bytes32 = new ByteVectorType(32);
export const Bytes48 = new ByteVectorType(48);
export const Bytes96 = new ByteVectorType(96);

export const Root = Bytes32;
export const Hash32 = Bytes32;
export const Version = Bytes4;
export const DomainType = Bytes4;
export const ForkDigest = Bytes4;
export const Domain = Bytes32;
export const BLSPubkey = Bytes48;
export const BLSSignature = Bytes96;
