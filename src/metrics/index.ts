export {createBeaconMetrics, GOSSIP_VERDICTS, type BeaconMetrics, type GossipVerdict, type MetricsChainView} from "./beaconMetrics.ts";
export {createValidatorMetrics, VC_DUTY_KINDS, type ValidatorMetrics, type VcDutyKind} from "./validatorMetrics.ts";
export {startMetricsServer, MetricsError, type MetricsServer} from "./server.ts";
