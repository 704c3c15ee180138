/**
 * Batch submissions (attestations, aggregates): each item is decoded and judged on its own; the
 * good ones go through, and any failure makes the whole answer a 400 whose `failures` name the
 * items by their index in the request.
 */
import {ListCompositeType, type CompositeType, type Type} from "@chainsafe/ssz";
import type {FastifyRequest} from "fastify";
import {ApiError, badRequest, type Failure} from "../errors.ts";
import {fromJsonStrict} from "../codec/json.ts";
import {bodyKind, fromSsz} from "./response.ts";
import type {ItemFailure} from "../../chain/interface.ts";

export interface DecodedBatch<T> {
  items: T[];
  /** Request index of items[i]. */
  indices: number[];
  failures: Failure[];
}

export function decodeBatch<T>(
  req: FastifyRequest,
  type: Type<T>,
  what: string,
  ssz: {limit: number} | null
): DecodedBatch<T> {
  const kind = bodyKind(req, ssz !== null);
  if (kind === "ssz" && ssz !== null) {
    const listType = new ListCompositeType(type as unknown as CompositeType<T, unknown, unknown>, ssz.limit);
    const items = fromSsz(listType, req.body, `List[${what}]`) as T[];
    return {items, indices: items.map((_, i) => i), failures: []};
  }
  const body = req.body;
  if (!Array.isArray(body)) throw badRequest(`Invalid request body: expected a JSON array of ${what}`);
  const out: DecodedBatch<T> = {items: [], indices: [], failures: []};
  body.forEach((item, i) => {
    try {
      out.items.push(fromJsonStrict(type, item));
      out.indices.push(i);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      out.failures.push({index: i, message: e.message});
    }
  });
  return out;
}

/** Merges decode failures and the chain's per-item failures; throws the API's IndexedErrorMessage if any. */
export function finishBatch(batch: DecodedBatch<unknown>, chainFailures: ItemFailure[], what: string): void {
  const failures = [...batch.failures];
  for (const f of chainFailures) {
    failures.push({index: batch.indices[f.index] ?? f.index, message: `${f.code}: ${f.message}`});
  }
  if (failures.length === 0) return;
  failures.sort((a, b) => a.index - b.index);
  throw new ApiError(400, "BATCH_FAILURES", `Some ${what} failed validation: ${failures.length} of ${batch.items.length + batch.failures.length}`, {
    failures,
  });
}
