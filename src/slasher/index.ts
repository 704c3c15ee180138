export {Slasher, SlasherError, DEFAULT_HISTORY_EPOCHS, MAX_HISTORY_EPOCHS, type BatchResult, type Detection, type SlasherOptions} from "./slasher.ts";
export {SlasherService, type SlashingSink, type SlasherServiceOptions} from "./service.ts";
export {LevelSlasherStore, MemorySlasherStore, SlasherDbError, type SlasherStore} from "./store.ts";
export {WorkerSlasher, type SlasherBackend} from "./workerClient.ts";
