/**
 * Every Beacon API endpoint Gnomon serves (the event stream aside: it never ends), with its path
 * parameters, query parameters and, for submissions, the SSZ type whose JSON the body carries.
 */
import type {Type} from "@chainsafe/ssz";
import {ssz} from "../../../src/types/index.ts";

export type ParamKind = "stateId" | "blockId" | "validatorId" | "uint" | "root" | "peerId" | "hex96" | "graffiti" | "text";

export interface Endpoint {
  method: "GET" | "POST";
  /** With `{name}` for each path parameter. */
  path: string;
  params?: Record<string, ParamKind>;
  query?: Record<string, ParamKind>;
  /** The JSON body: one value of a type, a list of them, an id list, or the validators filter. */
  body?: {kind: "one" | "list"; type: () => Type<unknown>} | {kind: "ids" | "filter" | "subscriptions"};
}

const stateId = {state_id: "stateId"} as const;
const blockId = {block_id: "blockId"} as const;
const epoch = {epoch: "uint"} as const;
const slot = {slot: "uint"} as const;

export const ENDPOINTS: Endpoint[] = [
  {method: "GET", path: "/eth/v1/node/version"},
  {method: "GET", path: "/eth/v2/node/version"},
  {method: "GET", path: "/eth/v1/node/health", query: {syncing_status: "uint"}},
  {method: "GET", path: "/eth/v1/node/syncing"},
  {method: "GET", path: "/eth/v1/node/identity"},
  {method: "GET", path: "/eth/v1/node/peers", query: {state: "text", direction: "text"}},
  {method: "GET", path: "/eth/v1/node/peers/{peer_id}", params: {peer_id: "peerId"}},
  {method: "GET", path: "/eth/v1/node/peer_count"},
  {method: "GET", path: "/eth/v1/config/spec"},
  {method: "GET", path: "/eth/v1/config/fork_schedule"},
  {method: "GET", path: "/eth/v1/config/deposit_contract"},
  {method: "GET", path: "/eth/v1/beacon/genesis"},
  {method: "GET", path: "/eth/v1/beacon/states/{state_id}/root", params: stateId},
  {method: "GET", path: "/eth/v1/beacon/states/{state_id}/fork", params: stateId},
  {method: "GET", path: "/eth/v1/beacon/states/{state_id}/finality_checkpoints", params: stateId},
  {method: "GET", path: "/eth/v1/beacon/states/{state_id}/committees", params: stateId, query: {epoch: "uint", index: "uint", slot: "uint"}},
  {method: "GET", path: "/eth/v1/beacon/states/{state_id}/randao", params: stateId, query: {epoch: "uint"}},
  {method: "GET", path: "/eth/v1/beacon/states/{state_id}/validators", params: stateId, query: {id: "validatorId", status: "text"}},
  {method: "POST", path: "/eth/v1/beacon/states/{state_id}/validators", params: stateId, body: {kind: "filter"}},
  {method: "GET", path: "/eth/v1/beacon/states/{state_id}/validators/{validator_id}", params: {...stateId, validator_id: "validatorId"}},
  {method: "GET", path: "/eth/v1/beacon/states/{state_id}/validator_balances", params: stateId, query: {id: "validatorId"}},
  {method: "POST", path: "/eth/v1/beacon/states/{state_id}/validator_balances", params: stateId, body: {kind: "ids"}},
  {method: "GET", path: "/eth/v1/beacon/headers", query: {slot: "uint", parent_root: "root"}},
  {method: "GET", path: "/eth/v1/beacon/headers/{block_id}", params: blockId},
  {method: "GET", path: "/eth/v2/beacon/blocks/{block_id}", params: blockId},
  {method: "GET", path: "/eth/v1/beacon/blocks/{block_id}/root", params: blockId},
  {method: "GET", path: "/eth/v2/beacon/blocks/{block_id}/attestations", params: blockId},
  {method: "POST", path: "/eth/v1/beacon/blocks", body: {kind: "one", type: () => ssz.SignedBeaconBlock}},
  {method: "POST", path: "/eth/v2/beacon/blocks", query: {broadcast_validation: "text"}, body: {kind: "one", type: () => ssz.SignedBeaconBlock}},
  {method: "GET", path: "/eth/v2/beacon/pool/attestations", query: {slot: "uint", committee_index: "uint"}},
  {method: "POST", path: "/eth/v1/beacon/pool/attestations", body: {kind: "list", type: () => ssz.Attestation}},
  {method: "POST", path: "/eth/v2/beacon/pool/attestations", body: {kind: "list", type: () => ssz.Attestation}},
  {method: "GET", path: "/eth/v2/beacon/pool/attester_slashings"},
  {method: "POST", path: "/eth/v2/beacon/pool/attester_slashings", body: {kind: "one", type: () => ssz.AttesterSlashing}},
  {method: "GET", path: "/eth/v1/beacon/pool/proposer_slashings"},
  {method: "POST", path: "/eth/v1/beacon/pool/proposer_slashings", body: {kind: "one", type: () => ssz.ProposerSlashing}},
  {method: "GET", path: "/eth/v1/beacon/pool/voluntary_exits"},
  {method: "POST", path: "/eth/v1/beacon/pool/voluntary_exits", body: {kind: "one", type: () => ssz.SignedVoluntaryExit}},
  {method: "POST", path: "/eth/v1/validator/duties/attester/{epoch}", params: epoch, body: {kind: "ids"}},
  {method: "GET", path: "/eth/v1/validator/duties/proposer/{epoch}", params: epoch},
  {method: "GET", path: "/eth/v3/validator/blocks/{slot}", params: slot, query: {randao_reveal: "hex96", graffiti: "graffiti", skip_randao_verification: "text", builder_boost_factor: "uint"}},
  {method: "GET", path: "/eth/v2/validator/blocks/{slot}", params: slot, query: {randao_reveal: "hex96", graffiti: "graffiti"}},
  {method: "GET", path: "/eth/v1/validator/blocks/{slot}", params: slot, query: {randao_reveal: "hex96", graffiti: "graffiti"}},
  {method: "GET", path: "/eth/v1/validator/attestation_data", query: {slot: "uint", committee_index: "uint"}},
  {method: "GET", path: "/eth/v2/validator/aggregate_attestation", query: {attestation_data_root: "root", slot: "uint", committee_index: "uint"}},
  {method: "GET", path: "/eth/v1/validator/aggregate_attestation", query: {attestation_data_root: "root", slot: "uint"}},
  {method: "POST", path: "/eth/v1/validator/aggregate_and_proofs", body: {kind: "list", type: () => ssz.SignedAggregateAndProof}},
  {method: "POST", path: "/eth/v2/validator/aggregate_and_proofs", body: {kind: "list", type: () => ssz.SignedAggregateAndProof}},
  {method: "POST", path: "/eth/v1/validator/beacon_committee_subscriptions", body: {kind: "subscriptions"}},
  {method: "POST", path: "/eth/v1/validator/liveness/{epoch}", params: epoch, body: {kind: "ids"}},
  {method: "GET", path: "/eth/v2/debug/beacon/states/{state_id}", params: stateId},
  {method: "GET", path: "/eth/v2/debug/beacon/heads"},
  {method: "GET", path: "/eth/v1/debug/fork_choice"},
];
