export {SlotClock, type SlotClockOptions, type SlotClockEvents, type SlotPoint} from "./slotClock.ts";
export {systemTime, type TimeSource} from "./timeSource.ts";
export {FakeTime} from "./fakeTime.ts";
export {every, sleep, timeoutSignal, type TimeoutSignal} from "./timers.ts";
