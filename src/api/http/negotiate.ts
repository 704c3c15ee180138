/**
 * Content negotiation on the Accept header (RFC 9110 section 12.5.1), as Beacon API clients use it:
 * `application/octet-stream;q=1,application/json;q=0.9` asks for SSZ where the endpoint offers it.
 */

export const JSON_TYPE = "application/json";
export const SSZ_TYPE = "application/octet-stream";
export type MediaType = typeof JSON_TYPE | typeof SSZ_TYPE;

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  position: number;
}

/** Parses an Accept header; malformed ranges are dropped rather than failing the request. */
export function parseAccept(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  header.split(",").forEach((part, position) => {
    const [range, ...params] = part.split(";").map((s) => s.trim());
    const m = /^([a-z0-9!#$%&'*+.^_`|~-]+)\/([a-z0-9!#$%&'*+.^_`|~-]+)$/i.exec(range);
    if (m === null) return;
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split("=").map((s) => s.trim());
      if (k.toLowerCase() !== "q") continue;
      if (v === undefined || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v)) return;
      q = Number(v);
    }
    const type = m[1].toLowerCase();
    const subtype = m[2].toLowerCase();
    if (type === "*" && subtype !== "*") return;
    out.push({type, subtype, q, position});
  });
  return out;
}

function specificity(r: MediaRange): number {
  return r.type === "*" ? 0 : r.subtype === "*" ? 1 : 2;
}

/**
 * The offered type the client prefers most, or null when it accepts none of them (406).
 * `offered` is in the server's order of preference, which breaks ties between wildcard matches.
 * No header, or one with no parseable range, means JSON (the API's default).
 */
export function negotiate(header: string | undefined, offered: readonly MediaType[]): MediaType | null {
  if (header === undefined || header.trim() === "") return offered[0];
  const ranges = parseAccept(header);
  if (ranges.length === 0) return offered[0];
  let best: {type: MediaType; q: number; position: number} | null = null;
  for (const candidate of offered) {
    const [type, subtype] = candidate.split("/");
    let match: MediaRange | null = null;
    for (const r of ranges) {
      const matches = (r.type === "*" || r.type === type) && (r.subtype === "*" || r.subtype === subtype);
      if (matches && (match === null || specificity(r) > specificity(match))) match = r;
    }
    if (match === null || match.q === 0) continue;
    if (best === null || match.q > best.q || (match.q === best.q && match.position < best.position)) {
      best = {type: candidate, q: match.q, position: match.position};
    }
  }
  return best?.type ?? null;
}

/** The media type of a Content-Type header without its parameters, lower-cased. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const t = contentType.split(";")[0].trim().toLowerCase();
  return t === "" ? undefined : t;
}
