export {
  encodeGraffiti,
  keymanagerTokenPath,
  slashingProtectionPath,
  checkBeaconNodeUrl,
  startValidatorClient,
  type ValidatorClient,
  type ValidatorClientOptions,
} from "./client.ts";
export {BeaconApiClient} from "./api/client.ts";
export {BeaconApiError, type BeaconApiErrorCode} from "./api/errors.ts";
export {parseInteropIndices} from "./keys/interopIndices.ts";
export {interopKeys, keystoreKeys, type ValidatorKey} from "./keys/validatorKeys.ts";
export {NodeSpecMismatchError} from "./nodeSpec.ts";
export type {DutyCounts} from "./services/stats.ts";
export {locateSlashingProtection} from "./protectionPath.ts";
