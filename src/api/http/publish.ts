/**
 * Gossips the items of a REST batch the chain accepted (a failed item is not the network's to
 * spread). Without networking it does nothing.
 */
import type {ItemFailure} from "../../chain/interface.ts";
import type {ApiContext, PublishMessage} from "../context.ts";

export async function publishAccepted<T>(ctx: ApiContext, items: T[], failures: ItemFailure[], toMessage: (item: T) => PublishMessage): Promise<void> {
  const publish = ctx.network?.publish;
  if (publish === undefined || items.length === 0) return;
  const failed = new Set(failures.map((f) => f.index));
  await Promise.all(items.filter((_, i) => !failed.has(i)).map((item) => publish.call(ctx.network, toMessage(item))));
}
