/**
 * Reading the node's JSON answers: every field checked, decimal strings to numbers, 0x-hex to
 * bytes. A node that answers something else gets a BEACON_API_BAD_RESPONSE naming the field,
 * never a TypeError deep inside a duty.
 */
import type {Type} from "@chainsafe/ssz";
import {errorMessage} from "../../util/errors.ts";
import {BeaconApiError} from "./errors.ts";

type Json = Record<string, unknown>;

export class ResponseReader {
  readonly route: string;
  constructor(route: string) {
    this.route = route;
  }

  bad(path: string, message: string, cause?: unknown): BeaconApiError {
    return new BeaconApiError("BEACON_API_BAD_RESPONSE", `${this.route}: ${path} ${message}`, {route: this.route}, cause === undefined ? undefined : {cause});
  }

  object(v: unknown, path: string): Json {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw this.bad(path, "must be an object");
    return v as Json;
  }

  array(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) throw this.bad(path, "must be an array");
    return v;
  }

  /** The `data` member of the standard response envelope. */
  data(body: unknown): unknown {
    const obj = this.object(body, "response");
    if (!("data" in obj)) throw this.bad("response", "has no data");
    return obj.data;
  }

  /** A uint64 as a decimal string; exact only below 2**53, and 2**64-1 (far future) is Infinity. */
  uint(v: unknown, path: string): number {
    if (typeof v !== "string" || !/^[0-9]+$/.test(v)) throw this.bad(path, `must be a decimal string, got ${JSON.stringify(v)?.slice(0, 40)}`);
    if (v === "18446744073709551615") return Infinity;
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw this.bad(path, `${v} is too large`);
    return n;
  }

  bytes(v: unknown, length: number, path: string): Uint8Array {
    if (typeof v !== "string" || !/^0x[0-9a-fA-F]*$/.test(v) || v.length !== 2 + 2 * length) {
      throw this.bad(path, `must be ${length} bytes of 0x-hex`);
    }
    return new Uint8Array(Buffer.from(v.slice(2), "hex"));
  }

  bool(v: unknown, path: string): boolean {
    if (typeof v !== "boolean") throw this.bad(path, "must be true or false");
    return v;
  }

  string(v: unknown, path: string): string {
    if (typeof v !== "string") throw this.bad(path, "must be a string");
    return v;
  }

  /** An SSZ value from its API JSON form. */
  sszJson<T>(type: Type<T>, v: unknown, path: string): T {
    try {
      return type.fromJson(v);
    } catch (e) {
      throw this.bad(path, `is not a valid ${type.typeName}: ${errorMessage(e)}`, e);
    }
  }

  /** An SSZ value from its serialization. */
  sszBytes<T>(type: Type<T>, bytes: Uint8Array, path: string): T {
    try {
      return type.deserialize(bytes);
    } catch (e) {
      throw this.bad(path, `is not a valid SSZ ${type.typeName}: ${errorMessage(e)}`, e);
    }
  }
}
