/** validator.md "Aggregation selection": is_aggregator from a committee size and a slot signature. */
import {TARGET_AGGREGATORS_PER_COMMITTEE} from "../../params/index.ts";
import {digest} from "../../crypto/index.ts";

export function isAggregator(committeeLength: number, slotSignature: Uint8Array): boolean {
  const modulo = Math.max(1, Math.floor(committeeLength / TARGET_AGGREGATORS_PER_COMMITTEE));
  const h = digest(slotSignature);
  // bytes_to_uint64(hash(slot_signature)[0:8]), little-endian, exact as a bigint.
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(h[i]);
  return v % BigInt(modulo) === 0n;
}
