/**
 * A binary heap that can also remove any item it holds in O(log n): each item remembers its own
 * position through the `slot` accessors (an item may sit in several heaps, one slot each).
 */
export interface HeapSlot<T> {
  get(item: T): number;
  set(item: T, position: number): void;
}

export class Heap<T> {
  private readonly items: T[] = [];

  constructor(
    /** True when `a` comes out before `b`. */
    private readonly before: (a: T, b: T) => boolean,
    private readonly slot: HeapSlot<T>,
  ) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(item: T): boolean {
    const position = this.slot.get(item);
    return position >= 0 && this.items[position] === item;
  }

  push(item: T): void {
    this.items.push(item);
    this.slot.set(item, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Takes the item out; false when it is not in this heap. */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    const position = this.slot.get(item);
    const last = this.items.pop() as T;
    this.slot.set(item, -1);
    if (position < this.items.length) {
      this.items[position] = last;
      this.slot.set(last, position);
      this.down(position);
      this.up(this.slot.get(last));
    }
    return true;
  }

  /** The items in no particular order. */
  values(): readonly T[] {
    return this.items;
  }

  private up(start: number): void {
    let index = start;
    const item = this.items[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.items[parentIndex] as T;
      if (!this.before(item, parent)) break;
      this.items[index] = parent;
      this.slot.set(parent, index);
      index = parentIndex;
    }
    this.items[index] = item;
    this.slot.set(item, index);
  }

  private down(start: number): void {
    let index = start;
    const length = this.items.length;
    const item = this.items[index] as T;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.before(this.items[right] as T, this.items[left] as T) ? right : left;
      if (!this.before(this.items[child] as T, item)) break;
      this.items[index] = this.items[child] as T;
      this.slot.set(this.items[index] as T, index);
      index = child;
    }
    this.items[index] = item;
    this.slot.set(item, index);
  }
}
