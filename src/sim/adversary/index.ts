/**
 * The Byzantine behaviours a scenario can give a group of validators, one file each; every one
 * also does the group's honest-looking duties it does not subvert. createBehaviour checks the
 * group's params and throws an AdversaryError for an unknown behaviour or a bad param.
 */
import {BehaviourKind, type AdversaryContext, type Behaviour, type ByzantineGroup} from "../types.ts";
import {Balancing} from "./balancing.ts";
import {DoubleVoter} from "./doubleVoter.ts";
import {EquivocatingProposer} from "./equivocatingProposer.ts";
import {AdversaryError, AdversaryErrorCode} from "./errors.ts";
import {ExAnteReorg} from "./exAnteReorg.ts";
import {SurroundVoter} from "./surroundVoter.ts";
import {WithholdingProposer} from "./withholdingProposer.ts";

export {AdversaryError, AdversaryErrorCode} from "./errors.ts";

const behaviours: Record<BehaviourKind, new (group: ByzantineGroup, ctx: AdversaryContext) => Behaviour> = {
  [BehaviourKind.EquivocatingProposer]: EquivocatingProposer,
  [BehaviourKind.DoubleVoter]: DoubleVoter,
  [BehaviourKind.SurroundVoter]: SurroundVoter,
  [BehaviourKind.WithholdingProposer]: WithholdingProposer,
  [BehaviourKind.ExAnteReorg]: ExAnteReorg,
  [BehaviourKind.Balancing]: Balancing,
};

export function createBehaviour(group: ByzantineGroup, ctx: AdversaryContext): Behaviour {
  const make = Object.hasOwn(behaviours, group.behaviour) ? behaviours[group.behaviour] : undefined;
  if (make === undefined) {
    throw new AdversaryError(AdversaryErrorCode.UNKNOWN_BEHAVIOUR, `unknown behaviour "${group.behaviour}" (known: ${Object.keys(behaviours).join(", ")})`);
  }
  return new make(group, ctx);
}
