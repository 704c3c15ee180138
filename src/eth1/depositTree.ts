/**
 * Every deposit the contract received, as the contract's Merkle tree (deposit-contract.md): the
 * root after the first n deposits and the proof of any deposit i < n against that root, which is
 * what a block's deposits need (proofs against state.eth1_data.deposit_root with its count).
 * Only complete subtrees are stored (nodes[h][k] covers leaves k*2^h .. (k+1)*2^h - 1, all
 * present): an append costs O(1) amortized, and a root or proof for any count costs O(depth^2)
 * hashes at most, since only the subtrees cut by the count's boundary are hashed again.
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
  /** nodes[0] are the leaves; nodes[h] the roots of complete subtrees of height h. */
  private readonly nodes: Uint8Array[][] = Array.from({length: DEPOSIT_CONTRACT_TREE_DEPTH + 1}, () => []);

  get count(): number {
    return this.data.length;
  }

  push(data: DepositData): void {
    this.data.push(data);
    this.nodes[0].push(ssz.DepositData.hashTreeRoot(data));
    for (let h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH && this.nodes[h].length % 2 === 0; h++) {
      const level = this.nodes[h];
      this.nodes[h + 1].push(digest64(level[level.length - 2], level[level.length - 1]));
    }
  }

  /** Drops the deposits from index `count` on (a reorg of the execution chain). */
  truncate(count: number): void {
    this.data.length = Math.min(this.data.length, count);
    for (let h = 0; h <= DEPOSIT_CONTRACT_TREE_DEPTH; h++) this.nodes[h].length = Math.floor(this.data.length / 2 ** h);
  }

  getData(index: number): DepositData {
    return this.data[index];
  }

  /** hash_tree_root(List[DepositData, 2**32]) of the first `count` deposits. */
  root(count = this.count): Uint8Array {
    if (count > this.count) throw new RangeError(`root of ${count} deposits: the tree holds ${this.count}`);
    return digest64(this.subtreeRoot(DEPOSIT_CONTRACT_TREE_DEPTH, 0, count), lengthChunk(count));
  }

  /** Deposit `index` with its proof against root(count): 32 siblings, then the length mix-in. */
  getDeposit(index: number, count: number): Deposit {
    if (!(index < count && count <= this.count)) throw new RangeError(`deposit ${index} of ${count}: the tree holds ${this.count}`);
    const proof: Uint8Array[] = [];
    for (let h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH; h++) proof.push(this.subtreeRoot(h, Math.floor(index / 2 ** h) ^ 1, count));
    proof.push(lengthChunk(count));
    return {proof, data: this.data[index]};
  }

  /** Root of subtree k of height h in the tree of the first `count` leaves (later leaves zero). */
  private subtreeRoot(h: number, k: number, count: number): Uint8Array {
    const start = k * 2 ** h;
    if (start >= count) return zeroHashes()[h];
    if (start + 2 ** h <= count) return this.nodes[h][k];
    return digest64(this.subtreeRoot(h - 1, 2 * k, count), this.subtreeRoot(h - 1, 2 * k + 1, count));
  }
}
