/**
 * /eth/v1/beacon/states/{state_id}/validators (GET, POST), /validators/{validator_id},
 * /validator_balances (GET, POST; JSON or SSZ).
 *
 * Ids are indices or 0x pubkeys, any number of them. Ids that match no validator are left out, as
 * the API specifies; a malformed id is a 400.
 */
import {ContainerType, ListCompositeType} from "@chainsafe/ssz";
import type {RouteGroup} from "../../context.ts";
import {badRequest, notFound} from "../../errors.ts";
import {json, jsonBody, sszOrJson} from "../../http/response.ts";
import {stateOrThrow} from "../../lookup.ts";
import {parseList, parseValidatorId, stringArray, type ValidatorId} from "../../params.ts";
import {getValidatorStatus, parseStatusFilter, type ValidatorStatus} from "../../validatorStatus.ts";
import {stateMeta} from "./states.ts";
import {checkIdCount, maxIdCount} from "../../http/limits.ts";
import type {IBeaconChain} from "../../../chain/interface.ts";
import {getCurrentEpoch, type CachedBeaconState} from "../../../state-transition/index.ts";
import {VALIDATOR_REGISTRY_LIMIT} from "../../../params/index.ts";
import {primitive, ssz, type Validator} from "../../../types/index.ts";
import {bytesEqual} from "../../../util/bytes.ts";

/** Indices of the validators named by `ids` in `cached`, in request order, without duplicates. */
export function resolveValidatorIds(cached: CachedBeaconState, ids: readonly ValidatorId[]): number[] {
  const count = cached.state.validators.length;
  const seen = new Set<number>();
  const out: number[] = [];
  for (const id of ids) {
    let index: number | undefined;
    if (id.kind === "index") {
      index = id.index < count ? id.index : undefined;
    } else {
      const i = cached.epochCtx.pubkey2index(id.pubkey);
      // The pubkey cache is shared by every state of the chain: trust it within this registry only.
      if (i !== undefined && i < count && bytesEqual(cached.state.validators.getReadonly(i).pubkey, id.pubkey)) index = i;
    }
    if (index !== undefined && !seen.has(index)) {
      seen.add(index);
      out.push(index);
    }
  }
  return out;
}

/** Every status name of the API, each given once, with room for the same name repeated by a sloppy client. */
const STATUS_NAMES_MAX = 64;

function parseIds(chain: IBeaconChain, items: readonly string[] | undefined): ValidatorId[] | undefined {
  if (items === undefined || items.length === 0) return undefined;
  checkIdCount(chain, items.length, "ids");
  return items.map(parseValidatorId);
}

interface Entry {
  index: number;
  balance: number;
  validator: Validator;
}

/** The selected validators with their balances; every validator when `ids` is undefined. */
function selectValidators(cached: CachedBeaconState, ids: ValidatorId[] | undefined): Entry[] {
  const state = cached.state;
  if (ids === undefined) {
    const validators = state.validators.getAllReadonlyValues();
    const balances = state.balances.getAll();
    return validators.map((validator, index) => ({index, balance: balances[index], validator}));
  }
  return resolveValidatorIds(cached, ids).map((index) => ({
    index,
    balance: state.balances.get(index),
    validator: state.validators.getReadonly(index).toValue(),
  }));
}

function validatorResponses(cached: CachedBeaconState, ids: ValidatorId[] | undefined, statuses: Set<ValidatorStatus> | undefined) {
  const epoch = getCurrentEpoch(cached.state);
  const out: Record<string, unknown>[] = [];
  for (const e of selectValidators(cached, ids)) {
    const status = getValidatorStatus(e.validator, epoch);
    if (statuses !== undefined && !statuses.has(status)) continue;
    out.push({index: String(e.index), balance: String(e.balance), status, validator: ssz.Validator.toJson(e.validator)});
  }
  return out;
}

const balanceListTypes = new Map<number, ListCompositeType<ContainerType<{index: typeof primitive.Uint64; balance: typeof primitive.Uint64}>>>();

/** SSZ `List[Container{index: uint64, balance: uint64}, VALIDATOR_REGISTRY_LIMIT]`. */
function balanceListType() {
  let t = balanceListTypes.get(VALIDATOR_REGISTRY_LIMIT);
  if (t === undefined) {
    const item = new ContainerType({index: primitive.Uint64, balance: primitive.Uint64}, {typeName: "ValidatorBalance", jsonCase: "eth2"});
    t = new ListCompositeType(item, VALIDATOR_REGISTRY_LIMIT);
    balanceListTypes.set(VALIDATOR_REGISTRY_LIMIT, t);
  }
  return t;
}

function postFilter(body: unknown, key: "ids" | "statuses", maxItems: number): string[] | undefined {
  if (body === undefined) return undefined;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("Invalid request body: expected an object with optional ids and statuses");
  }
  const v = (body as Record<string, unknown>)[key];
  return v === undefined || v === null ? undefined : stringArray(v, key, maxItems);
}

export const validatorRoutes: RouteGroup = (app, ctx) => {
  app.get("/eth/v1/beacon/states/:state_id/validators", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const ids = parseIds(ctx.chain, parseList(q.id));
    const statuses = parseStatusFilter(parseList(q.status));
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    return json(req, reply, validatorResponses(r.state, ids, statuses), stateMeta(r));
  });

  app.post("/eth/v1/beacon/states/:state_id/validators", async (req, reply) => {
    const body = jsonBody(req, {optional: true});
    const ids = parseIds(ctx.chain, postFilter(body, "ids", maxIdCount(ctx.chain)));
    const statuses = parseStatusFilter(postFilter(body, "statuses", STATUS_NAMES_MAX));
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    return json(req, reply, validatorResponses(r.state, ids, statuses), stateMeta(r));
  });

  app.get("/eth/v1/beacon/states/:state_id/validators/:validator_id", async (req, reply) => {
    const params = req.params as {state_id: string; validator_id: string};
    const id = parseValidatorId(params.validator_id);
    const r = await stateOrThrow(ctx.chain, params.state_id);
    const [entry] = validatorResponses(r.state, [id], undefined);
    if (entry === undefined) throw notFound(`Validator not found: ${params.validator_id}`, "VALIDATOR_NOT_FOUND");
    return json(req, reply, entry, stateMeta(r));
  });

  const balances = async (cached: CachedBeaconState, ids: ValidatorId[] | undefined) =>
    selectValidators(cached, ids).map((e) => ({index: e.index, balance: e.balance}));

  app.get("/eth/v1/beacon/states/:state_id/validator_balances", async (req, reply) => {
    const ids = parseIds(ctx.chain, parseList((req.query as Record<string, unknown>).id));
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    return sszOrJson(req, reply, balanceListType(), await balances(r.state, ids), stateMeta(r));
  });

  app.post("/eth/v1/beacon/states/:state_id/validator_balances", async (req, reply) => {
    const body = jsonBody(req, {optional: true});
    const ids = parseIds(ctx.chain, body === undefined ? undefined : stringArray(body, "request body", maxIdCount(ctx.chain)));
    const r = await stateOrThrow(ctx.chain, (req.params as {state_id: string}).state_id);
    return sszOrJson(req, reply, balanceListType(), await balances(r.state, ids), stateMeta(r));
  });
};
