/**
 * The node's network identity: a secp256k1 key kept in the data dir (created on first start),
 * from which come the libp2p peer id and the discv5 node id. A node started without networking
 * reports its peer id and no peers, addresses or ENR.
 */
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf} from "@libp2p/crypto/keys";
import {peerIdFromPrivateKey} from "@libp2p/peer-id";
import type {PrivateKey} from "@libp2p/interface";
import type {ApiNetwork, NetworkIdentity} from "../api/index.ts";
import {InputError} from "../util/errors.ts";

const KEY_FILE = "node-key";

export async function loadOrCreateNodeKey(dataDir: string): Promise<PrivateKey> {
  const path = join(dataDir, KEY_FILE);
  if (existsSync(path)) {
    let key: PrivateKey;
    try {
      key = privateKeyFromProtobuf(readFileSync(path));
    } catch (e) {
      throw new InputError(`${path} is not a libp2p private key: ${(e as Error).message} (move it away to create a new identity)`);
    }
    // discv5 identities are secp256k1 (ENR "v4"); an Ed25519 key would give no node id.
    if (key.type !== "secp256k1") throw new InputError(`${path} holds a ${key.type} key; the node key must be secp256k1`);
    return key;
  }
  const key = await generateKeyPair("secp256k1");
  writeFileSync(path, privateKeyToProtobuf(key), {mode: 0o600});
  return key;
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
