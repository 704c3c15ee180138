/** A FIFO with a capacity: a push beyond it is refused and counted as a drop. */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;
  readonly capacity: number;
  dropped = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** False (and a drop counted) when the queue is full. */
  push(item: T): boolean {
    if (this.length >= this.capacity) {
      this.dropped++;
      return false;
    }
    this.items.push(item);
    return true;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    // Compact now and then instead of shifting the array on every take.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Takes up to `n` items, oldest first. */
  take(n: number): T[] {
    const out: T[] = [];
    while (out.length < n && this.length > 0) out.push(this.shift() as T);
    return out;
  }
}
