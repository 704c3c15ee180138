/** Every in-process fuzz target; a new decoder gets its own file here and a line below. */
import type {InProcessTarget} from "../target.ts";
import {snappyTarget} from "./snappy.ts";
import {sszDecodeTarget} from "./sszDecode.ts";
import {gossipTarget} from "./gossip.ts";
import {reqrespFramesTarget} from "./reqrespFrames.ts";
import {jsonRpcTarget} from "./jsonRpc.ts";

export function inProcessTargets(): InProcessTarget<any>[] {
  return [sszDecodeTarget(), snappyTarget(), gossipTarget(), reqrespFramesTarget(), jsonRpcTarget()];
}
