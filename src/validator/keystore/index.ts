export {createKeystore, type CreateKeystoreOptions} from "./create.ts";
export {decryptKeystore, decryptKeystoreSecret, type DecryptedKeystore} from "./decrypt.ts";
export {KeystoreDirError, KeystoreError, type KeystoreErrorCode, type KeystoreFileFailure} from "./errors.ts";
export {deriveSecretKeyFromPath, parseKeyPath, validatorSigningKeyPath} from "./keyPath.ts";
export {loadKeystoresFromDir, readPasswordFile, type LoadedKeystore, type LoadKeystoresOptions} from "./loadDir.ts";
export {parseKeystore, parseKeystoreText} from "./parse.ts";
export {normalizePassword} from "./password.ts";
export type {KdfName, KeystoreJson, ParsedKeystore} from "./types.ts";
