export * from "./errors.ts";
export * from "./sha256.ts";
export * from "./bls.ts";
export * from "./signatureSets.ts";
export * from "./blsPool.ts";
export * from "./shuffle.ts";
export * from "./interop.ts";
