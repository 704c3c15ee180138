/**
 * Writes a whole balances array back to the state as one new packed list.
 *
 * Every balance changes at an epoch boundary, so the list's tree is rebuilt whole. Its internal
 * nodes are hashed level by level in a few large native calls (instead of one computation object
 * per node, collected when the state is next hashed), and the nodes are created with their roots.
 */
import {
  BranchNode,
  hashInto,
  LeafNode,
  packedUintNum64sToLeafNodes,
  zeroHash,
  zeroNode,
  type Node,
} from "@chainsafe/persistent-merkle-tree";
import {ssz} from "../../types/index.ts";
import type {CachedBeaconState} from "../cache/cachedBeaconState.ts";

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function writeBalances(s: CachedBeaconState, balances: number[]): void {
  s.state.balances = balancesToViewDU(balances);
}

export function balancesToViewDU(balances: number[]) {
  const type = ssz.Balances;
  const n = balances.length;
  if (n === 0 || !LITTLE_ENDIAN) return type.toViewDU(balances);
  if (n > type.limit) throw new RangeError(`balances: ${n} exceeds the list limit ${type.limit}`);
  const leafNodes = packedUintNum64sToLeafNodes(balances);
  const chunkDepth = type.chunkDepth;

  // Level 0: the packed chunks, 4 balances of 8 bytes each.
  let count = leafNodes.length;
  let bytes = new Uint8Array(roundUpEven(count) * 32);
  const words = new Uint32Array(bytes.buffer);
  for (let i = 0; i < n; i++) {
    const v = balances[i];
    words[2 * i] = v % 0x100000000;
    words[2 * i + 1] = Math.floor(v / 0x100000000);
  }
  let nodes: Node[] = leafNodes;
  let depth = 0;
  while (count > 1) {
    if (count % 2 === 1) bytes.set(zeroHash(depth), count * 32);
    const parents = (count + 1) >> 1;
    const out = new Uint8Array(roundUpEven(parents) * 32);
    hashInto(bytes.subarray(0, parents * 64), out.subarray(0, parents * 32));
    const roots = new Int32Array(out.buffer);
    const next: Node[] = new Array(parents);
    for (let p = 0; p < parents; p++) {
      const right = 2 * p + 1 < count ? nodes[2 * p + 1] : zeroNode(depth);
      const node = new BranchNode(nodes[2 * p], right);
      const o = p * 8;
      node.h0 = roots[o];
      node.h1 = roots[o + 1];
      node.h2 = roots[o + 2];
      node.h3 = roots[o + 3];
      node.h4 = roots[o + 4];
      node.h5 = roots[o + 5];
      node.h6 = roots[o + 6];
      node.h7 = roots[o + 7];
      next[p] = node;
    }
    nodes = next;
    bytes = out;
    count = parents;
    depth++;
  }
  // Up to the list's chunk depth with zero subtrees on the right (few nodes, hashed when read).
  let root = nodes[0];
  for (; depth < chunkDepth; depth++) root = new BranchNode(root, zeroNode(depth));
  const treeNode = new BranchNode(root, LeafNode.fromUint32(n));
  return type.getViewDU(treeNode, {nodes: leafNodes, length: n, nodesPopulated: true});
}

function roundUpEven(x: number): number {
  return x + (x & 1);
}
