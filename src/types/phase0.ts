/**
 * Every phase0 SSZ container: beacon-chain.md, validator.md and p2p-interface.md.
 * Built per preset by `createPhase0Types`, because list and vector limits come from the preset.
 */
import {
  BitListType,
  BitVectorType,
  ContainerNodeStructType,
  ContainerType,
  ListBasicType,
  ListCompositeType,
  ListUintNum64Type,
  VectorBasicType,
  VectorCompositeType,
  ByteListType,
  type UintBigintType,
  type UintNumberType,
} from "@chainsafe/ssz";
import type {Preset} from "../params/presets.ts";
import {DEPOSIT_CONTRACT_TREE_DEPTH, JUSTIFICATION_BITS_LENGTH} from "../params/constants.ts";
import * as p from "./primitive.ts";

export interface TypeOptions {
  /**
   * The uint64 representation. Gnomon runs on `number` (fast, exact below 2**53); the SSZ
   * conformance runner builds the same definitions over exact bigints to check every value.
   */
  uint64?: UintNumberType | UintBigintType;
}

/** p2p-interface.md: ATTESTATION_SUBNET_COUNT and MAX_REQUEST_BLOCKS are network constants. */
const ATTESTATION_SUBNET_COUNT = 64;
const MAX_REQUEST_BLOCKS = 1024;

export function createPhase0Types(preset: Readonly<Preset>, opts: TypeOptions = {}) {
  // The number variant is the one the client runs on; its TypeScript types are the project's types.
  const u64 = (opts.uint64 ?? p.Uint64) as UintNumberType;
  const exactUint64 = opts.uint64 !== undefined && opts.uint64 !== p.Uint64;
  const Slot = u64;
  const Epoch = u64;
  const CommitteeIndex = u64;
  const ValidatorIndex = u64;
  const Gwei = u64;
  const {Root, Bytes32, Version, Domain, BLSPubkey, BLSSignature, Hash32, ForkDigest} = p;

  const Fork = new ContainerType(
    {previous_version: Version, current_version: Version, epoch: Epoch},
    {typeName: "Fork", jsonCase: "eth2"}
  );
  const ForkData = new ContainerType(
    {current_version: Version, genesis_validators_root: Root},
    {typeName: "ForkData", jsonCase: "eth2"}
  );
  const Checkpoint = new ContainerType({epoch: Epoch, root: Root}, {typeName: "Checkpoint", jsonCase: "eth2"});

  const validatorFields = {
    pubkey: BLSPubkey,
    withdrawal_credentials: Bytes32,
    effective_balance: Gwei,
    slashed: p.Boolean,
    activation_eligibility_epoch: Epoch,
    activation_epoch: Epoch,
    exit_epoch: Epoch,
    withdrawable_epoch: Epoch,
  };
  // A struct-backed node per validator: reading a field costs no tree walk, which the epoch
  // transition does for every validator.
  const Validator = new ContainerNodeStructType(validatorFields, {typeName: "Validator", jsonCase: "eth2"});

  const AttestationData = new ContainerType(
    {slot: Slot, index: CommitteeIndex, beacon_block_root: Root, source: Checkpoint, target: Checkpoint},
    {typeName: "AttestationData", jsonCase: "eth2"}
  );
  const CommitteeIndices = new ListBasicType(ValidatorIndex, preset.MAX_VALIDATORS_PER_COMMITTEE);
  const CommitteeBits = new BitListType(preset.MAX_VALIDATORS_PER_COMMITTEE);
  const IndexedAttestation = new ContainerType(
    {attesting_indices: CommitteeIndices, data: AttestationData, signature: BLSSignature},
    {typeName: "IndexedAttestation", jsonCase: "eth2"}
  );
  const PendingAttestation = new ContainerType(
    {aggregation_bits: CommitteeBits, data: AttestationData, inclusion_delay: Slot, proposer_index: ValidatorIndex},
    {typeName: "PendingAttestation", jsonCase: "eth2"}
  );
  const Eth1Data = new ContainerType(
    {deposit_root: Root, deposit_count: u64, block_hash: Hash32},
    {typeName: "Eth1Data", jsonCase: "eth2"}
  );
  const HistoricalBlockRoots = new VectorCompositeType(Root, preset.SLOTS_PER_HISTORICAL_ROOT);
  const HistoricalStateRoots = new VectorCompositeType(Root, preset.SLOTS_PER_HISTORICAL_ROOT);
  const HistoricalBatch = new ContainerType(
    {block_roots: HistoricalBlockRoots, state_roots: HistoricalStateRoots},
    {typeName: "HistoricalBatch", jsonCase: "eth2"}
  );
  const DepositMessage = new ContainerType(
    {pubkey: BLSPubkey, withdrawal_credentials: Bytes32, amount: Gwei},
    {typeName: "DepositMessage", jsonCase: "eth2"}
  );
  const DepositData = new ContainerType(
    {pubkey: BLSPubkey, withdrawal_credentials: Bytes32, amount: Gwei, signature: BLSSignature},
    {typeName: "DepositData", jsonCase: "eth2"}
  );
  const BeaconBlockHeader = new ContainerType(
    {slot: Slot, proposer_index: ValidatorIndex, parent_root: Root, state_root: Root, body_root: Root},
    {typeName: "BeaconBlockHeader", jsonCase: "eth2"}
  );
  const SignedBeaconBlockHeader = new ContainerType(
    {message: BeaconBlockHeader, signature: BLSSignature},
    {typeName: "SignedBeaconBlockHeader", jsonCase: "eth2"}
  );
  const SigningData = new ContainerType({object_root: Root, domain: Domain}, {typeName: "SigningData", jsonCase: "eth2"});

  // No jsonCase: the fields are already the API's names, and "eth2" casing would write a field
  // ending in a digit as signed_header__1.
  const ProposerSlashing = new ContainerType(
    {signed_header_1: SignedBeaconBlockHeader, signed_header_2: SignedBeaconBlockHeader},
    {typeName: "ProposerSlashing"}
  );
  const AttesterSlashing = new ContainerType({attestation_1: IndexedAttestation, attestation_2: IndexedAttestation}, {typeName: "AttesterSlashing"});
  const Attestation = new ContainerType(
    {aggregation_bits: CommitteeBits, data: AttestationData, signature: BLSSignature},
    {typeName: "Attestation", jsonCase: "eth2"}
  );
  const Deposit = new ContainerType(
    {proof: new VectorCompositeType(Bytes32, DEPOSIT_CONTRACT_TREE_DEPTH + 1), data: DepositData},
    {typeName: "Deposit", jsonCase: "eth2"}
  );
  const VoluntaryExit = new ContainerType(
    {epoch: Epoch, validator_index: ValidatorIndex},
    {typeName: "VoluntaryExit", jsonCase: "eth2"}
  );
  const SignedVoluntaryExit = new ContainerType(
    {message: VoluntaryExit, signature: BLSSignature},
    {typeName: "SignedVoluntaryExit", jsonCase: "eth2"}
  );

  const BeaconBlockBody = new ContainerType(
    {
      randao_reveal: BLSSignature,
      eth1_data: Eth1Data,
      graffiti: Bytes32,
      proposer_slashings: new ListCompositeType(ProposerSlashing, preset.MAX_PROPOSER_SLASHINGS),
      attester_slashings: new ListCompositeType(AttesterSlashing, preset.MAX_ATTESTER_SLASHINGS),
      attestations: new ListCompositeType(Attestation, preset.MAX_ATTESTATIONS),
      deposits: new ListCompositeType(Deposit, preset.MAX_DEPOSITS),
      voluntary_exits: new ListCompositeType(SignedVoluntaryExit, preset.MAX_VOLUNTARY_EXITS),
    },
    {typeName: "BeaconBlockBody", jsonCase: "eth2"}
  );
  const BeaconBlock = new ContainerType(
    {slot: Slot, proposer_index: ValidatorIndex, parent_root: Root, state_root: Root, body: BeaconBlockBody},
    {typeName: "BeaconBlock", jsonCase: "eth2"}
  );
  const SignedBeaconBlock = new ContainerType(
    {message: BeaconBlock, signature: BLSSignature},
    {typeName: "SignedBeaconBlock", jsonCase: "eth2"}
  );

  const Validators = new ListCompositeType(Validator, preset.VALIDATOR_REGISTRY_LIMIT);
  const Balances = exactUint64
    ? new ListBasicType(Gwei, preset.VALIDATOR_REGISTRY_LIMIT)
    : new ListUintNum64Type(preset.VALIDATOR_REGISTRY_LIMIT);
  const PendingAttestations = new ListCompositeType(
    PendingAttestation,
    preset.MAX_ATTESTATIONS * preset.SLOTS_PER_EPOCH
  );
  const BeaconState = new ContainerType(
    {
      genesis_time: u64,
      genesis_validators_root: Root,
      slot: Slot,
      fork: Fork,
      latest_block_header: BeaconBlockHeader,
      block_roots: HistoricalBlockRoots,
      state_roots: HistoricalStateRoots,
      historical_roots: new ListCompositeType(Root, preset.HISTORICAL_ROOTS_LIMIT),
      eth1_data: Eth1Data,
      eth1_data_votes: new ListCompositeType(Eth1Data, preset.EPOCHS_PER_ETH1_VOTING_PERIOD * preset.SLOTS_PER_EPOCH),
      eth1_deposit_index: u64,
      validators: Validators,
      balances: Balances,
      randao_mixes: new VectorCompositeType(Bytes32, preset.EPOCHS_PER_HISTORICAL_VECTOR),
      slashings: new VectorBasicType(Gwei, preset.EPOCHS_PER_SLASHINGS_VECTOR),
      previous_epoch_attestations: PendingAttestations,
      current_epoch_attestations: PendingAttestations,
      justification_bits: new BitVectorType(JUSTIFICATION_BITS_LENGTH),
      previous_justified_checkpoint: Checkpoint,
      current_justified_checkpoint: Checkpoint,
      finalized_checkpoint: Checkpoint,
    },
    {typeName: "BeaconState", jsonCase: "eth2"}
  );

  // validator.md
  const Eth1Block = new ContainerType(
    {timestamp: u64, deposit_root: Root, deposit_count: u64},
    {typeName: "Eth1Block", jsonCase: "eth2"}
  );
  const AggregateAndProof = new ContainerType(
    {aggregator_index: ValidatorIndex, aggregate: Attestation, selection_proof: BLSSignature},
    {typeName: "AggregateAndProof", jsonCase: "eth2"}
  );
  const SignedAggregateAndProof = new ContainerType(
    {message: AggregateAndProof, signature: BLSSignature},
    {typeName: "SignedAggregateAndProof", jsonCase: "eth2"}
  );

  // p2p-interface.md
  const Attnets = new BitVectorType(ATTESTATION_SUBNET_COUNT);
  const MetaData = new ContainerType({seq_number: u64, attnets: Attnets}, {typeName: "MetaData", jsonCase: "eth2"});
  const Status = new ContainerType(
    {fork_digest: ForkDigest, finalized_root: Root, finalized_epoch: Epoch, head_root: Root, head_slot: Slot},
    {typeName: "Status", jsonCase: "eth2"}
  );
  const Goodbye = u64;
  const Ping = u64;
  const BeaconBlocksByRangeRequest = new ContainerType(
    {start_slot: Slot, count: u64, step: u64},
    {typeName: "BeaconBlocksByRangeRequest", jsonCase: "eth2"}
  );
  const BeaconBlocksByRootRequest = new ListCompositeType(Root, MAX_REQUEST_BLOCKS);
  const SignedBeaconBlocks = new ListCompositeType(SignedBeaconBlock, MAX_REQUEST_BLOCKS);
  const ErrorMessage = new ByteListType(256);
  const ENRForkID = new ContainerType(
    {fork_digest: ForkDigest, next_fork_version: Version, next_fork_epoch: Epoch},
    {typeName: "ENRForkID", jsonCase: "eth2"}
  );

  return {
    Fork,
    ForkData,
    Checkpoint,
    Validator,
    AttestationData,
    CommitteeIndices,
    CommitteeBits,
    IndexedAttestation,
    PendingAttestation,
    Eth1Data,
    HistoricalBlockRoots,
    HistoricalStateRoots,
    HistoricalBatch,
    DepositMessage,
    DepositData,
    BeaconBlockHeader,
    SignedBeaconBlockHeader,
    SigningData,
    ProposerSlashing,
    AttesterSlashing,
    Attestation,
    Deposit,
    VoluntaryExit,
    SignedVoluntaryExit,
    BeaconBlockBody,
    BeaconBlock,
    SignedBeaconBlock,
    Validators,
    Balances,
    BeaconState,
    Eth1Block,
    AggregateAndProof,
    SignedAggregateAndProof,
    Attnets,
    MetaData,
    Status,
    Goodbye,
    Ping,
    BeaconBlocksByRangeRequest,
    BeaconBlocksByRootRequest,
    SignedBeaconBlocks,
    ErrorMessage,
    ENRForkID,
  };
}

export type Phase0Types = ReturnType<typeof createPhase0Types>;
