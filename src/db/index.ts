export {BeaconDb, DbError, type DbOp} from "./beaconDb.ts";
export {Bucket, u64BE, readU64BE} from "./keys.ts";
