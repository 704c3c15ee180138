/**
 * Discovery: discv5 (@chainsafe/discv5 11) with the node's ENR carrying `eth2` (ENRForkID) and
 * `attnets`. Discovered ENRs with our fork digest and a TCP address become dial candidates.
 *
 * discv5 11 and enr 5 are built on @multiformats/multiaddr 12, whose objects differ from the
 * version 13 that libp2p 3 uses; the multiaddrs handed to discv5 are therefore made with its own
 * copy, and what it returns crosses back as strings.
 */
import type {EventEmitter} from "node:events";
import {Discv5} from "@chainsafe/discv5";
import {ENR, SignableENR} from "@chainsafe/enr";
import type {PrivateKey} from "@libp2p/interface";
import {multiaddr, type Multiaddr} from "@multiformats/multiaddr";
import {ssz} from "../types/index.ts";
import {GnomonError, InputError} from "../util/errors.ts";
import type {Logger} from "../util/logger.ts";

/** The same key object; only the nested @libp2p/interface 2 typings differ from version 3's. */
type EnrPrivateKey = Parameters<typeof SignableENR.createFromPrivateKey>[0];

type Multiaddr12 = Parameters<typeof Discv5.create>[0]["bindAddrs"]["ip4"] & object;

async function loadMultiaddr12(): Promise<(s: string) => Multiaddr12> {
  const nested = new URL("../node_modules/@multiformats/multiaddr/dist/src/index.js", import.meta.resolve("@chainsafe/discv5"));
  try {
    return ((await import(nested.href)) as {multiaddr: (s: string) => Multiaddr12}).multiaddr;
  } catch (e) {
    throw new GnomonError("DISCV5_UNAVAILABLE", `discv5's multiaddr 12 is not where npm put it: ${(e as Error).message}`);
  }
}

/** Parses an "enr:..." text; InputError when it is not a valid signed ENR. */
export function parseEnr(text: string): ENR {
  try {
    return ENR.decodeTxt(text.trim());
  } catch (e) {
    throw new InputError(`invalid ENR "${text.slice(0, 40)}...": ${(e as Error).message}`);
  }
}

/** The libp2p TCP multiaddr (with /p2p/) an ENR advertises, or null. */
export function enrToMultiaddr(enr: ENR): Multiaddr | null {
  const ip = enr.ip;
  const tcp = enr.tcp;
  if (ip === undefined || tcp === undefined) return null;
  return multiaddr(`/ip4/${ip}/tcp/${tcp}/p2p/${enr.peerId.toString()}`);
}

export interface LocalEnrOptions {
  privateKey: PrivateKey;
  address: string;
  tcpPort: number;
  /** null: no discv5, so no udp entry. */
  udpPort: number | null;
  /** SSZ ENRForkID */
  eth2: Uint8Array;
}

/** The node's own record: secp256k1 key, ip, tcp, udp, eth2. */
export function createLocalEnr(opts: LocalEnrOptions): SignableENR {
  const enr = SignableENR.createFromPrivateKey(opts.privateKey as unknown as EnrPrivateKey);
  enr.ip = opts.address;
  enr.tcp = opts.tcpPort;
  if (opts.udpPort !== null) enr.udp = opts.udpPort;
  enr.set("eth2", opts.eth2);
  return enr;
}

export interface DiscoveryOptions {
  privateKey: PrivateKey;
  enr: SignableENR;
  /** The address bound for UDP. */
  address: string;
  udpPort: number;
  bootnodes: string[];
  forkDigest: Uint8Array;
  logger: Logger;
}

export class Discovery {
  private readonly discv5: Discv5;
  private readonly opts: DiscoveryOptions;
  private readonly candidates = new Map<string, Multiaddr>();
  private searching: Promise<void> | null = null;
  private stopped = false;

  private constructor(discv5: Discv5, opts: DiscoveryOptions) {
    this.discv5 = discv5;
    this.opts = opts;
    (discv5 as unknown as EventEmitter).on("discovered", (enr: ENR) => this.onDiscovered(enr));
  }

  static async start(opts: DiscoveryOptions): Promise<Discovery> {
    const bootnodes = opts.bootnodes.map(parseEnr);
    const ma = await loadMultiaddr12();
    const discv5 = Discv5.create({
      enr: opts.enr,
      privateKey: opts.privateKey as unknown as EnrPrivateKey,
      bindAddrs: {ip4: ma(`/ip4/${opts.address}/udp/${opts.udpPort}`)},
      // The ENR's address is the one configured: on 127.0.0.1 the PONG votes would only agree with it.
      // discv5 11 leaves a lookup's timeout armed when the lookup ends by itself, so the timeout is
      // also how long a stopped node's process lingers: 5 s rather than the default minute.
      config: {enrUpdate: false, lookupTimeout: 5_000},
    });
    try {
      await discv5.start();
    } catch (e) {
      throw new GnomonError("DISCV5_START_FAILED", `cannot start discv5 on udp ${opts.address}:${opts.udpPort}: ${(e as Error).message}`, {cause: e});
    }
    const d = new Discovery(discv5, opts);
    for (const b of bootnodes) {
      discv5.addEnr(b);
      d.onDiscovered(b);
    }
    return d;
  }

  /** A lookup in progress is abandoned: its queries only time out after seconds. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.discv5.stop();
  }

  /** The UDP multiaddr discv5 listens on. */
  listenAddress(): string {
    return `/ip4/${this.opts.address}/udp/${this.opts.udpPort}`;
  }

  private onDiscovered(enr: ENR): void {
    const eth2 = enr.kvs.get("eth2");
    if (eth2 === undefined) return;
    let forkDigestMatches = false;
    try {
      const forkId = ssz.ENRForkID.deserialize(eth2);
      forkDigestMatches = forkId.fork_digest.every((b, i) => b === this.opts.forkDigest[i]);
    } catch {
      return;
    }
    if (!forkDigestMatches) return;
    const addr = enrToMultiaddr(enr);
    if (addr !== null) this.candidates.set(enr.nodeId, addr);
  }

  /** Up to `count` dial candidates; starts a random-node lookup when there are too few. */
  async discover(count: number): Promise<Multiaddr[]> {
    // A lookup started on a stopped discv5 would hold the process for its whole timeout.
    if (this.stopped) return [];
    if (this.candidates.size < count && this.searching === null) {
      this.searching = this.discv5
        .findRandomNode()
        .then((found) => {
          for (const enr of found) this.onDiscovered(enr);
        })
        .catch((e: Error) => this.opts.logger.debug({err: e.message}, "discv5 lookup failed"))
        .finally(() => {
          this.searching = null;
        });
    }
    const out: Multiaddr[] = [];
    for (const [nodeId, addr] of this.candidates) {
      if (out.length >= count) break;
      out.push(addr);
      this.candidates.delete(nodeId);
    }
    return out;
  }
}
