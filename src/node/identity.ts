/**
 * The node's network identity: a secp256k1 key kept in the data dir (created on first start),
 * whose libp2p peer id the API reports. Gnomon has no networking yet, so there are no peers,
 * addresses or ENR to report.
 */
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf} from "@libp2p/crypto/keys";
import {peerIdFromPrivateKey} from "@libp2p/peer-id";
import type {ApiNetwork, NetworkIdentity} from "../api/index.ts";

const KEY_FILE = "node-key";

export async function loadOrCreatePeerId(dataDir: string): Promise<string> {
  const path = join(dataDir, KEY_FILE);
  if (existsSync(path)) return peerIdFromPrivateKey(privateKeyFromProtobuf(readFileSync(path))).toString();
  const key = await generateKeyPair("secp256k1");
  writeFileSync(path, privateKeyToProtobuf(key), {mode: 0o600});
  return peerIdFromPrivateKey(key).toString();
}

/** The API's view of a node without networking: its peer id, and no peers. */
export function unnetworkedNode(peerId: string): ApiNetwork {
  const identity: NetworkIdentity = {
    peerId,
    enr: "",
    p2pAddresses: [],
    discoveryAddresses: [],
    metadata: {seqNumber: 0, attnets: new Uint8Array(8)},
  };
  return {getNetworkIdentity: () => identity, getPeers: () => []};
}
