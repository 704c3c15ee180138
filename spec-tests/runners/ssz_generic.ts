/**
 * ssz_generic (consensus-specs tests/formats/ssz_generic): SSZ types built from the case name,
 * valid cases checked both ways and by root, invalid encodings required to be refused.
 */
import {
  BitListType,
  BitVectorType,
  BooleanType,
  ByteListType,
  ContainerType,
  ListBasicType,
  UintBigintType,
  UintNumberType,
  VectorBasicType,
  VectorCompositeType,
  type Type,
} from "@chainsafe/ssz";
// Loaded for its side effect: the merkle hasher the client installs, so roots are computed as in the client.
import "../../src/types/index.ts";
import {CaseFailure, SkipCase, type CaseContext, type Runner} from "../harness/types.ts";
import {GnomonError} from "../../src/util/errors.ts";
import {checkInvalidSsz, checkValidSsz} from "../harness/sszCheck.ts";

const bool = new BooleanType();
const byte = new UintNumberType(1);
const uint16 = new UintNumberType(2);
const uint32 = new UintNumberType(4);
const uint64 = new UintBigintType(8);

/** The uints by bit size; 64 and up are bigint-backed so that every value is exact. */
const UINTS: Record<string, () => Type<unknown>> = {
  "8": () => byte,
  "16": () => uint16,
  "32": () => uint32,
  "64": () => uint64,
  "128": () => new UintBigintType(16),
  "256": () => new UintBigintType(32),
};

// The test structures of the format's "containers" section.
const SingleFieldTestStruct = new ContainerType({A: byte}, {typeName: "SingleFieldTestStruct"});
const SmallTestStruct = new ContainerType({A: uint16, B: uint16}, {typeName: "SmallTestStruct"});
const FixedTestStruct = new ContainerType({A: byte, B: uint64, C: uint32}, {typeName: "FixedTestStruct"});
const VarTestStruct = new ContainerType(
  {A: uint16, B: new ListBasicType(uint16, 1024), C: byte},
  {typeName: "VarTestStruct"}
);
const ComplexTestStruct = new ContainerType(
  {
    A: uint16,
    B: new ListBasicType(uint16, 128),
    C: byte,
    D: new ByteListType(256),
    E: VarTestStruct,
    F: new VectorCompositeType(FixedTestStruct, 4),
    G: new VectorCompositeType(VarTestStruct, 2),
  },
  {typeName: "ComplexTestStruct"}
);
const BitsStruct = new ContainerType(
  {A: new BitListType(5), B: new BitVectorType(2), C: new BitVectorType(1), D: new BitListType(6), E: new BitVectorType(8)},
  {typeName: "BitsStruct"}
);
const CONTAINERS: Record<string, Type<unknown>> = {
  SingleFieldTestStruct,
  SmallTestStruct,
  FixedTestStruct,
  VarTestStruct,
  ComplexTestStruct,
  BitsStruct,
};

/**
 * SSZ features that phase0 never uses (progressive lists and containers, compatible unions);
 * their cases are reported as skipped rather than run against types Gnomon does not define.
 */
const NON_PHASE0_HANDLERS = new Set(["basic_progressive_list", "progressive_bitlist", "progressive_containers", "compatible_unions"]);
const NON_PHASE0_CONTAINERS = new Set(["ProgressiveTestStruct", "ProgressiveBitsStruct"]);

/**
 * A case whose declared type is itself illegal: the SSZ spec forbids `Vector[T, 0]` and
 * `Bitvector[0]`. Its invalid cases pass by the declaration being refused, with this error alone.
 */
export class IllegalSszTypeError extends GnomonError {
  constructor(message: string) {
    super("ILLEGAL_SSZ_TYPE", message);
  }
}

function checkLength(what: string, length: number): number {
  if (length === 0) throw new IllegalSszTypeError(`${what} of length 0 is not a legal SSZ type`);
  return length;
}

/**
 * The type a case name declares (`uint_16_max`, `vec_uint64_4_zero`, `bitlist_512_random`,
 * `VarTestStruct_lengthy_3`, ...). Throws CaseFailure for an unknown declaration and
 * IllegalSszTypeError for one the SSZ spec forbids (a vector of length 0).
 */
export function typeFromCaseName(handler: string, name: string): Type<unknown> {
  let m: RegExpMatchArray | null;
  switch (handler) {
    case "boolean":
      return bool;
    case "uints":
      if ((m = /^uint_(\d+)(?:_|$)/.exec(name)) && UINTS[m[1]]) return UINTS[m[1]]();
      break;
    case "basic_vector":
      if ((m = /^vec_(bool|uint\d+)_(\d+)(?:_|$)/.exec(name))) {
        const elem = m[1] === "bool" ? bool : UINTS[m[1].slice(4)]?.();
        if (elem) return new VectorBasicType(elem as UintNumberType, checkLength("a vector", Number(m[2])));
      }
      break;
    case "bitvector":
      if ((m = /^bitvec_(\d+)(?:_|$)/.exec(name))) return new BitVectorType(checkLength("a bitvector", Number(m[1])));
      break;
    case "bitlist":
      if ((m = /^bitlist_(\d+)(?:_|$)/.exec(name))) return new BitListType(Number(m[1]));
      break;
    case "containers":
      if ((m = /^([A-Za-z]+)(?:_|$)/.exec(name))) {
        if (CONTAINERS[m[1]]) return CONTAINERS[m[1]];
        if (NON_PHASE0_CONTAINERS.has(m[1])) throw new SkipCase(`${m[1]} uses progressive SSZ types, which phase0 does not use`);
      }
      break;
  }
  throw new CaseFailure(`cannot derive an SSZ type from case name "${name}" of handler ${handler}`);
}

export const runner: Runner = {
  name: "ssz_generic",
  run(ctx: CaseContext): void {
    if (NON_PHASE0_HANDLERS.has(ctx.handler)) {
      throw new SkipCase(`ssz_generic handler ${ctx.handler} tests an SSZ feature phase0 does not use`);
    }
    if (ctx.suite === "valid") {
      const type = typeFromCaseName(ctx.handler, ctx.name);
      const meta = ctx.readYaml<{root?: unknown} | null>("meta");
      checkValidSsz(type, {
        serialized: ctx.readSsz("serialized"),
        yamlValue: ctx.readYaml("value"),
        root: meta?.root,
        rootFile: "meta.yaml",
      });
    } else if (ctx.suite === "invalid") {
      const serialized = ctx.readSsz("serialized");
      let type: Type<unknown>;
      try {
        type = typeFromCaseName(ctx.handler, ctx.name);
      } catch (e) {
        // The format allows the declared type itself to be invalid (e.g. vec_uint8_0); any other
        // exception (a TypeError of the library, say) is a failure, not a refusal.
        if (e instanceof IllegalSszTypeError) return;
        throw e;
      }
      checkInvalidSsz(type, serialized);
    } else {
      throw new CaseFailure(`unknown ssz_generic suite "${ctx.suite}" (expected valid or invalid)`);
    }
  },
};
