/**
 * Execution-layer transactions signed locally: RLP, EIP-1559 (type 2) and legacy EIP-155
 * transactions, secp256k1 over keccak-256. Only what `gnomon deposit` needs to send a call with
 * value to a contract.
 */
import {secp256k1} from "@noble/curves/secp256k1.js";
import {keccak_256} from "@noble/hashes/sha3.js";
import {concatBytes} from "../util/bytes.ts";

export type RlpItem = Uint8Array | RlpItem[];

function lengthPrefix(len: number, offset: number): Uint8Array {
  if (len < 56) return Uint8Array.of(offset + len);
  const bytes = bigToBytes(BigInt(len));
  return concatBytes(Uint8Array.of(offset + 55 + bytes.length), bytes);
}

export function rlpEncode(item: RlpItem): Uint8Array {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0] < 0x80) return item;
    return concatBytes(lengthPrefix(item.length, 0x80), item);
  }
  const body = concatBytes(...item.map(rlpEncode));
  return concatBytes(lengthPrefix(body.length, 0xc0), body);
}

/** Big-endian minimal bytes (0 is empty), as RLP encodes integers. */
export function bigToBytes(n: bigint): Uint8Array {
  if (n < 0n) throw new RangeError("negative integer in a transaction");
  if (n === 0n) return new Uint8Array(0);
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = "0" + hex;
  return new Uint8Array(Buffer.from(hex, "hex"));
}

export interface TxFields {
  chainId: bigint;
  nonce: bigint;
  gasLimit: bigint;
  to: Uint8Array;
  value: bigint;
  data: Uint8Array;
  /** EIP-1559 fees; absent: a legacy transaction with gasPrice. */
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  gasPrice?: bigint;
}

/** The raw signed transaction (what eth_sendRawTransaction takes). */
export function signTransaction(tx: TxFields, privateKey: Uint8Array): Uint8Array {
  const n = bigToBytes;
  if (tx.maxFeePerGas !== undefined) {
    const fields: RlpItem[] = [n(tx.chainId), n(tx.nonce), n(tx.maxPriorityFeePerGas ?? 0n), n(tx.maxFeePerGas), n(tx.gasLimit), tx.to, n(tx.value), tx.data, []];
    const hash = keccak_256(concatBytes(Uint8Array.of(2), rlpEncode(fields)));
    const {r, s, recovery} = sign(hash, privateKey);
    return concatBytes(Uint8Array.of(2), rlpEncode([...fields, n(BigInt(recovery)), n(r), n(s)]));
  }
  const gasPrice = tx.gasPrice ?? 0n;
  const base: RlpItem[] = [n(tx.nonce), n(gasPrice), n(tx.gasLimit), tx.to, n(tx.value), tx.data];
  // EIP-155: the chain id takes the place of v in the signed payload.
  const hash = keccak_256(rlpEncode([...base, n(tx.chainId), new Uint8Array(0), new Uint8Array(0)]));
  const {r, s, recovery} = sign(hash, privateKey);
  return rlpEncode([...base, n(BigInt(recovery) + tx.chainId * 2n + 35n), n(r), n(s)]);
}

function sign(hash: Uint8Array, privateKey: Uint8Array): {r: bigint; s: bigint; recovery: number} {
  const sig = secp256k1.Signature.fromBytes(secp256k1.sign(hash, privateKey, {prehash: false, format: "recovered"}), "recovered");
  return {r: sig.r, s: sig.s, recovery: sig.recovery!};
}

/** The account address of a private key: the last 20 bytes of keccak(uncompressed public key). */
export function addressOf(privateKey: Uint8Array): Uint8Array {
  const pub = secp256k1.getPublicKey(privateKey, false);
  return keccak_256(pub.subarray(1)).subarray(12);
}
