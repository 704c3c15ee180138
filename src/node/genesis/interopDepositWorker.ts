/** Entry point of an interop deposit signing thread (see interopDepositsOnWorkers). */
import {serveRangeChunks} from "../../util/rangeWorkers.ts";
import {interopDepositRange, type InteropDepositParams} from "./interopDepositData.ts";

serveRangeChunks((chunk, params) => interopDepositRange(chunk.start, chunk.end, params as InteropDepositParams));
