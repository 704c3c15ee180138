/**
 * The simulated network's randomness. A run must not depend on the order in which asynchronous
 * work asked for random numbers, so there is no stream to consume: every draw is a pure function
 * of the run's seed and of what it decides (the message, the link, the purpose).
 */
import {createHash} from "node:crypto";

/** 2^53: the draw keeps the 53 bits a double holds exactly. */
const UNIT = 2 ** 53;

/** A number in [0, 1) from the first 8 bytes of sha256(seed, purpose, id, from, to). */
export function drawUnit(seed: string, purpose: string, id: string, from: number, to: number): number {
  const h = createHash("sha256").update(`${seed}\0${purpose}\0${id}\0${from}\0${to}`).digest();
  // 32 high bits and the next 21: 53 bits, exact in a double.
  return (h.readUInt32BE(0) * 2 ** 21 + (h.readUInt32BE(4) >>> 11)) / UNIT;
}

/** An integer in [0, max] (max included) for the same inputs. */
export function drawInt(seed: string, purpose: string, id: string, from: number, to: number, max: number): number {
  if (max <= 0) return 0;
  return Math.floor(drawUnit(seed, purpose, id, from, to) * (max + 1));
}
