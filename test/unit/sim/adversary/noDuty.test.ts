import {strict as assert} from "node:assert";
import {BehaviourKind} from "../../../../src/sim/types.ts";
import {useDevNetwork} from "../../chain/helpers.ts";
import {groupOf, World} from "./harness.ts";

describe("sim/adversary: a group without duties is silent", function () {
  this.timeout(60_000);
  before(() => useDevNetwork(6));

  for (const kind of Object.values(BehaviourKind)) {
    it(`${kind}: sends nothing in a slot where no member proposes or attests, and votes where one attests`, async () => {
      const group = groupOf(2);
      const w = await World.open(kind, {groupSize: group.length});
      try {
        await w.run(1, 7);
        const epochCtx = w.chains[0].getHead().state.epochCtx;
        let idle = 0;
        for (let slot = 1; slot <= 7; slot++) {
          const committees = epochCtx.getCommitteeCountPerSlot(0);
          const attests = Array.from({length: committees}, (_, i) => [...epochCtx.getBeaconCommittee(slot, i)]).flat().some((v) => group.includes(v));
          const proposes = group.includes(epochCtx.getBeaconProposer(slot));
          const sent = w.sent.filter((s) => s.slot === slot);
          if (!attests && !proposes) {
            idle++;
            assert.deepEqual(sent, [], `slot ${slot}`);
          }
          if (attests && !proposes) assert.ok(sent.some((s) => s.message.kind === "beacon_attestation"), `slot ${slot}: the members vote`);
        }
        assert.ok(idle >= 3, `${idle} idle slots`);
      } finally {
        await w.close();
      }
    });
  }
});
