/**
 * The libp2p flags `gnomon beacon` and `gnomon dev` share: listen address and ports, discovery,
 * bootnodes, static peers and the target peer count.
 */
import {intOption, type Command, type ParsedOptions} from "../command.ts";
import {InputError} from "../../util/errors.ts";
import type {NetworkOptions} from "../../network/network.ts";

export const p2pOptionSpecs: Command["options"] = {
  p2p: {type: "string", description: "Run libp2p networking (false: a node without peers)", default: "true", valueName: "true|false"},
  "p2p-address": {type: "string", description: "Address libp2p listens on and the ENR advertises", default: "127.0.0.1", valueName: "ip"},
  "p2p-port": {type: "string", description: "libp2p TCP port (0: any free port)", default: "9000", valueName: "port"},
  discovery: {type: "string", description: "Run discv5 discovery", default: "true", valueName: "true|false"},
  "discovery-port": {type: "string", description: "discv5 UDP port (default: the --p2p-port)", valueName: "port"},
  bootnodes: {type: "string", description: "ENR of a discv5 bootnode (repeatable, or comma-separated)", valueName: "enr", multiple: true},
  "static-peers": {type: "string", description: "Multiaddr (with /p2p/<id>) of a peer to stay connected to (repeatable, or comma-separated)", valueName: "addr", multiple: true},
  "target-peers": {type: "string", description: "Peers the node keeps connected", default: "50", valueName: "N"},
  "subscribe-all-subnets": {type: "boolean", description: "Subscribe to all 64 attestation subnets"},
};

function boolValue(opts: ParsedOptions, name: string): boolean {
  const v = String(opts[name]);
  if (v !== "true" && v !== "false") throw new InputError(`--${name} must be true or false, got "${v}"`);
  return v === "true";
}

function listValue(opts: ParsedOptions, name: string): string[] {
  const v = opts[name];
  const items = v === undefined ? [] : Array.isArray(v) ? v : [String(v)];
  return items.flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "");
}

/** The network options the flags give; null when --p2p false. */
export function p2pOptions(opts: ParsedOptions): NetworkOptions | null {
  if (!boolValue(opts, "p2p")) return null;
  const listenAddress = String(opts["p2p-address"]);
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(listenAddress)) throw new InputError(`--p2p-address must be an IPv4 address, got "${listenAddress}"`);
  const port = intOption(opts, "p2p-port", 0, 65535)!;
  let discoveryPort: number | null = null;
  if (boolValue(opts, "discovery")) {
    discoveryPort = intOption(opts, "discovery-port", 1, 65535) ?? port;
    if (discoveryPort === 0) throw new InputError("discovery needs a fixed UDP port: give --discovery-port, or --discovery false with --p2p-port 0");
  }
  const staticPeers = listValue(opts, "static-peers");
  for (const a of staticPeers) if (!/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(a)) throw new InputError(`--static-peers ${a}: a static peer's multiaddr must end in /p2p/<peer id>`);
  const bootnodes = listValue(opts, "bootnodes");
  for (const b of bootnodes) if (!b.startsWith("enr:")) throw new InputError(`--bootnodes ${b.slice(0, 30)}: expected an ENR ("enr:...")`);
  return {
    listenAddress,
    port,
    discoveryPort,
    bootnodes,
    staticPeers,
    targetPeers: intOption(opts, "target-peers", 1, 1000)!,
    subscribeAllSubnets: opts["subscribe-all-subnets"] === true,
  };
}
