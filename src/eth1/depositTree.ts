/**
 * Every deposit the contract received, as the contract's Merkle tree (deposit-contract.md): the
 * root after the first n deposits and the proof of any deposit i < n against that root, which is
 * what a block's deposits need (proofs against state.eth1_data.deposit_root with its count).
 * The layers for one count are kept until another count is asked for: a proposer asks for up to
 * MAX_DEPOSITS proofs against the same count.
 */
import {digest64} from "../crypto/index.ts";
import {DEPOSIT_CONTRACT_TREE_DEPTH} from "../params/index.ts";
import {ssz, type Deposit, type DepositData} from "../types/index.ts";

let zeroCache: Uint8Array[] | undefined;

/** zero[h]: the root of an empty subtree of height h, for h = 0..DEPOSIT_CONTRACT_TREE_DEPTH. */
export function zeroHashes(): Uint8Array[] {
  if (zeroCache === undefined) {
    const z: Uint8Array[] = [new Uint8Array(32)];
    for (let h = 1; h <= DEPOSIT_CONTRACT_TREE_DEPTH; h++) z.push(digest64(z[h - 1], z[h - 1]));
    zeroCache = z;
  }
  return zeroCache;
}

/** uint256 little-endian of a safe integer: the SSZ list length mix-in. */
export function lengthChunk(length: number): Uint8Array {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setBigUint64(0, BigInt(length), true);
  return out;
}

export class DepositDataTree {
  private readonly data: DepositData[] = [];
  private readonly leaves: Uint8Array[] = [];
  private layers: {count: number; layers: Uint8Array[][]} | null = null;

  get count(): number {
    return this.data.length;
  }

  push(data: DepositData): void {
    this.data.push(data);
    this.leaves.push(ssz.DepositData.hashTreeRoot(data));
  }

  /** Drops the deposits from index `count` on (a reorg of the execution chain). */
  truncate(count: number): void {
    this.data.length = Math.min(this.data.length, count);
    this.leaves.length = this.data.length;
    this.layers = null;
  }

  getData(index: number): DepositData {
    return this.data[index];
  }

  /** hash_tree_root(List[DepositData, 2**32]) of the first `count` deposits. */
  root(count = this.count): Uint8Array {
    const layers = this.layersFor(count);
    return digest64(layers[DEPOSIT_CONTRACT_TREE_DEPTH][0], lengthChunk(count));
  }

  /** Deposit `index` with its proof against root(count): 32 siblings, then the length mix-in. */
  getDeposit(index: number, count: number): Deposit {
    if (!(index < count && count <= this.count)) throw new RangeError(`deposit ${index} of ${count}: the tree holds ${this.count}`);
    const layers = this.layersFor(count);
    const zero = zeroHashes();
    const proof: Uint8Array[] = [];
    let i = index;
    for (let h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH; h++) {
      const sibling = i ^ 1;
      proof.push(sibling < layers[h].length ? layers[h][sibling] : zero[h]);
      i = Math.floor(i / 2);
    }
    proof.push(lengthChunk(count));
    return {proof, data: this.data[index]};
  }

  private layersFor(count: number): Uint8Array[][] {
    if (count > this.count) throw new RangeError(`root of ${count} deposits: the tree holds ${this.count}`);
    if (this.layers?.count === count) return this.layers.layers;
    const zero = zeroHashes();
    const layers: Uint8Array[][] = [this.leaves.slice(0, count)];
    for (let h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH; h++) {
      const below = layers[h];
      const next: Uint8Array[] = [];
      for (let j = 0; j < below.length; j += 2) next.push(digest64(below[j], j + 1 < below.length ? below[j + 1] : zero[h]));
      layers.push(next.length > 0 ? next : []);
    }
    if (layers[DEPOSIT_CONTRACT_TREE_DEPTH].length === 0) layers[DEPOSIT_CONTRACT_TREE_DEPTH] = [zero[DEPOSIT_CONTRACT_TREE_DEPTH]];
    this.layers = {count, layers};
    return layers;
  }
}
