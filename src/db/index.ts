export {BeaconDb, DbError, type DbOp} from "./beaconDb.ts";
export {Bucket, u64BE, readU64BE} from "./keys.ts";
export type {KeyValueStore, KvRange} from "./kvStore.ts";
export {LevelStore} from "./levelStore.ts";
export {MemoryStore} from "./memoryStore.ts";
