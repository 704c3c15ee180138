/**
 * Reads exact byte counts from an async stream of chunks (a libp2p stream yields whatever the
 * muxer delivered). Keeps at most the current chunk plus the unread rest of the previous ones.
 */
export type ByteChunk = Uint8Array | {subarray(): Uint8Array};

export class ByteReader {
  private readonly source: AsyncIterator<ByteChunk>;
  private buffered: Uint8Array[] = [];
  private bufferedLength = 0;
  private ended = false;
  /** Bytes consumed so far. */
  consumed = 0;

  constructor(source: AsyncIterable<ByteChunk>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Waits for at least `n` buffered bytes; false if the stream ended first. */
  private async fill(n: number): Promise<boolean> {
    while (this.bufferedLength < n) {
      if (this.ended) return false;
      const next = await this.source.next();
      if (next.done === true) {
        this.ended = true;
        return false;
      }
      const chunk = next.value instanceof Uint8Array ? next.value : next.value.subarray();
      if (chunk.length === 0) continue;
      this.buffered.push(chunk);
      this.bufferedLength += chunk.length;
    }
    return true;
  }

  /** True when no byte is left (waits for the next chunk or the end). */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  /** Exactly `n` bytes, or null if the stream ends before them. */
  async read(n: number): Promise<Uint8Array | null> {
    if (!(await this.fill(n))) return null;
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.buffered[0];
      const take = Math.min(head.length, n - filled);
      out.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) this.buffered.shift();
      else this.buffered[0] = head.subarray(take);
    }
    this.bufferedLength -= n;
    this.consumed += n;
    return out;
  }

  async readByte(): Promise<number | null> {
    const b = await this.read(1);
    return b === null ? null : b[0];
  }
}
