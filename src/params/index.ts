export * from "./presets.ts";
export * from "./activePreset.ts";
export * from "./constants.ts";
export * from "./chainConfig.ts";
export {useNetwork} from "./useNetwork.ts";
