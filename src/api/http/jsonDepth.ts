/**
 * How deep a JSON text nests, found by a scan of its characters before it is parsed. JSON.parse
 * of `[[[[...]]]]` a few hundred thousand deep builds as many arrays at once (tens of MB that V8
 * promotes to its old space and keeps as heap long after the request is refused), while no value
 * of the API nests more than about ten levels: a body deeper than the bound is refused unparsed.
 */

/** Deeper than any request of the Beacon API (a block's attester slashing's checkpoint is 8 levels). */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Whether `text` opens more than `max` arrays or objects inside one another. Brackets inside
 * strings do not count; the text need not be valid JSON (the parser judges that afterwards).
 */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}
