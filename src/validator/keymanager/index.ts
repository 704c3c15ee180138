export {KeymanagerError} from "./errors.ts";
export {GraffitiStore} from "./graffitiStore.ts";
export {KeyManager, parsePubkey, type DeleteStatus, type ImportStatus, type KeyManagerDeps, type ListedKey} from "./keyManager.ts";
export {KeystoreStore, type StoredKey} from "./keystoreStore.ts";
export {buildKeymanagerApp, startKeymanagerServer, type KeymanagerServer, type KeymanagerServerOptions} from "./server.ts";
export {bearerMatches, loadOrCreateToken} from "./token.ts";
