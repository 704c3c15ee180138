/**
 * The phase0 req/resp protocols (p2p-interface.md "Messages"): protocol ids, request and response
 * SSZ types, and whether responses carry context bytes (v2 block protocols carry the fork digest).
 */
import {BitVectorType, ContainerType, UintNumberType} from "@chainsafe/ssz";
import {ssz} from "../../types/index.ts";
import type {SszBounds} from "../encoding/sszSnappy.ts";

export const PROTOCOL_PREFIX = "/eth2/beacon_chain/req";

export const Method = {
  status: "status",
  goodbye: "goodbye",
  ping: "ping",
  metadata: "metadata",
  beaconBlocksByRange: "beacon_blocks_by_range",
  beaconBlocksByRoot: "beacon_blocks_by_root",
} as const;
export type Method = (typeof Method)[keyof typeof Method];

/** Response codes (p2p-interface.md "result"). */
export const RespCode = {success: 0, invalidRequest: 1, serverError: 2, resourceUnavailable: 3} as const;

/** Goodbye reasons: the spec's three, and the ones clients commonly send beyond 128. */
export const GoodbyeReason = {
  clientShutdown: 1,
  irrelevantNetwork: 2,
  fault: 3,
  unableToVerify: 128,
  tooManyPeers: 129,
  badScore: 250,
  banned: 251,
} as const;

/** Time to first byte of a response, and for each later chunk (p2p-interface.md, phase0 TTFB_TIMEOUT and RESP_TIMEOUT). */
export const TTFB_TIMEOUT_MS = 5_000;
export const RESP_TIMEOUT_MS = 10_000;

/** Altair's MetaData, which metadata/2 answers with; a phase0 node is in no sync committee subnet. */
export const MetaDataV2 = new ContainerType(
  {seq_number: new UintNumberType(8), attnets: ssz.MetaData.fields.attnets, syncnets: new BitVectorType(4)},
  {typeName: "MetaDataV2", jsonCase: "eth2"}
);

export interface ProtocolDef {
  method: Method;
  version: 1 | 2;
  /** null: the request has no payload (metadata). */
  request: () => SszBounds | null;
  response: () => SszBounds;
  /** The response may hold many chunks (block lists). */
  multiChunk: boolean;
  /** v2 block responses prefix each chunk with the fork digest. */
  contextBytes: boolean;
}

const blocksResponse = (): SszBounds => ssz.SignedBeaconBlock;

export const PROTOCOLS: readonly ProtocolDef[] = [
  {method: Method.status, version: 1, request: () => ssz.Status, response: () => ssz.Status, multiChunk: false, contextBytes: false},
  {method: Method.goodbye, version: 1, request: () => ssz.Goodbye, response: () => ssz.Goodbye, multiChunk: false, contextBytes: false},
  {method: Method.ping, version: 1, request: () => ssz.Ping, response: () => ssz.Ping, multiChunk: false, contextBytes: false},
  {method: Method.metadata, version: 1, request: () => null, response: () => ssz.MetaData, multiChunk: false, contextBytes: false},
  {method: Method.metadata, version: 2, request: () => null, response: () => MetaDataV2, multiChunk: false, contextBytes: false},
  ...([1, 2] as const).flatMap((version) => [
    {method: Method.beaconBlocksByRange, version, request: () => ssz.BeaconBlocksByRangeRequest, response: blocksResponse, multiChunk: true, contextBytes: version === 2},
    {method: Method.beaconBlocksByRoot, version, request: () => ssz.BeaconBlocksByRootRequest, response: blocksResponse, multiChunk: true, contextBytes: version === 2},
  ]),
];

export function protocolId(method: Method, version: number): string {
  return `${PROTOCOL_PREFIX}/${method}/${version}/ssz_snappy`;
}
