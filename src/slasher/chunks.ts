/**
 * The in-memory side of the chunked arrays: chunks read from the store (or fresh ones, filled
 * with the "nothing recorded" value) stay here while they are used; the ones changed since the
 * last checkpoint are written back together, and clean ones are dropped, least recently used
 * first, when the cache outgrows its byte budget.
 */
import type {StoreOp} from "./store.ts";

export interface Chunk<T extends Uint16Array | Uint32Array = Uint16Array | Uint32Array> {
  readonly key: Uint8Array;
  readonly data: T;
  dirty: boolean;
  /** The batch that last used it (for eviction). */
  used: number;
}

export class ChunkCache {
  private readonly chunks = new Map<number, Chunk>();
  private bytes = 0;

  get(id: number): Chunk | undefined {
    return this.chunks.get(id);
  }

  has(id: number): boolean {
    return this.chunks.has(id);
  }

  add(id: number, chunk: Chunk): void {
    const old = this.chunks.get(id);
    if (old !== undefined) this.bytes -= old.data.byteLength;
    this.chunks.set(id, chunk);
    this.bytes += chunk.data.byteLength;
  }

  get byteSize(): number {
    return this.bytes;
  }

  get dirtyCount(): number {
    let n = 0;
    for (const c of this.chunks.values()) if (c.dirty) n++;
    return n;
  }

  /** Puts for every changed chunk; they count as clean once the caller has written them. */
  takeDirty(): {ops: StoreOp[]; chunks: Chunk[]} {
    const ops: StoreOp[] = [];
    const chunks: Chunk[] = [];
    for (const c of this.chunks.values()) {
      if (!c.dirty) continue;
      // A copy: the chunk may change again while level still holds the write.
      ops.push({type: "put", key: c.key, value: new Uint8Array(c.data.buffer.slice(c.data.byteOffset, c.data.byteOffset + c.data.byteLength))});
      chunks.push(c);
    }
    return {ops, chunks};
  }

  /** Drops clean chunks, least recently used first, until the cache fits `budget` bytes. */
  evict(budget: number): void {
    if (this.bytes <= budget) return;
    const clean = [...this.chunks.entries()].filter(([, c]) => !c.dirty).sort((a, b) => a[1].used - b[1].used);
    for (const [id, c] of clean) {
      if (this.bytes <= budget) break;
      this.chunks.delete(id);
      this.bytes -= c.data.byteLength;
    }
  }

  /** Forgets every chunk whose id matches (pruned history). */
  dropWhere(pred: (id: number) => boolean): void {
    for (const [id, c] of this.chunks) {
      if (pred(id)) {
        this.chunks.delete(id);
        this.bytes -= c.data.byteLength;
      }
    }
  }
}
