// How big each system scenario is. SYSTEM_SCALE=full (the default, `pnpm test:system`) runs
// the sizes of issue 8; SYSTEM_SCALE=short (`pnpm test:system:short`, CI) runs the chaos and
// bad-input scenarios small enough for the README test command.
export type Scale = 'short' | 'full';

function readScale(): Scale {
  const value = process.env.SYSTEM_SCALE ?? 'full';
  if (value !== 'short' && value !== 'full') throw new Error(`SYSTEM_SCALE must be 'short' or 'full', got '${value}'`);
  return value;
}

export const scale: Scale = readScale();

const pick = <T>(short: T, full: T): T => (scale === 'short' ? short : full);

function envNumber(name: string, fallback: number, { zero = false } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zero)) throw new Error(`${name} must be a ${zero ? 'non-negative' : 'positive'} number, got '${raw}'`);
  return value;
}

/** Seed of every random choice (which instance dies, join or leave); printed in each summary. */
export const seed = envNumber('SYSTEM_SEED', 20_240_608);

/** SIGKILL chaos: 3 instances, a working one killed every 5 s and restarted, input produced meanwhile. */
export const chaosSize = {
  /** Broker nodes (1, or 3 for replication factor 3 and min ISR 2). */
  nodes: envNumber('SYSTEM_CHAOS_NODES', 1),
  records: envNumber('SYSTEM_CHAOS_RECORDS', pick(100_000, 1_000_000)),
  /** Share of the records produced before the instances start: they join while catching up (full fetch buffers, paused partitions). */
  backlogShare: 0.3,
  partitions: 8,
  keys: 1_000,
  instances: 3,
  killEveryMs: 5_000,
  killForMs: envNumber('SYSTEM_CHAOS_KILL_MS', pick(20_000, 60_000)),
  /** From the end of the kills until every input record is committed. */
  settleTimeoutMs: pick(150_000, 480_000),
};

/** Exactly-once scale-out 1 -> 3 -> 1, repeated. */
export const scaleOutSize = {
  trials: envNumber('SYSTEM_SCALE_OUT_TRIALS', pick(2, 5)),
  partitions: 8,
  keys: 500,
  /** Enough that tasks always have sends in flight when they move. */
  ratePerSec: envNumber('SYSTEM_SCALE_OUT_RATE', 5_000),
  /** How long each membership (1, 2, 3, 2, 1 instances) runs once balanced. */
  holdMs: pick(3_000, 4_000),
  /** In odd trials the next instance joins or leaves this soon after the previous one, mid-rebalance. */
  overlapMs: 1_000,
  settleTimeoutMs: 120_000,
};

/** Broker faults on a 3-node cluster. */
export const brokerFaultsSize = {
  partitions: 8,
  keys: 500,
  instances: 2,
  ratePerSec: pick(1_000, 2_000),
  /** How long the leader node stays down, and the two nodes of the lost majority. */
  leaderDownMs: 10_000,
  majorityDownMs: 5_000,
  settleTimeoutMs: 240_000,
};

/** Members join and leave every 2 s. */
export const stormSize = {
  partitions: 8,
  keys: 500,
  everyMs: 2_000,
  forMs: pick(20_000, 60_000),
  maxMembers: 4,
  ratePerSec: pick(2_000, 3_000),
  settleTimeoutMs: 240_000,
};

/** Bad records among good ones, one instance with dead-letter handlers. */
export const badInputSize = {
  good: pick(5_000, 10_000),
  /** Bad records in all, of which `badInARow` consecutive invalid JSON ones in partition 0. */
  bad: pick(5_000, 10_000),
  badInARow: envNumber('SYSTEM_BAD_IN_A_ROW', 3_000, { zero: true }),
  /** 900 KB values (half invalid JSON, half failing the schema). */
  big: envNumber('SYSTEM_BAD_BIG', pick(6, 20), { zero: true }),
  bigBytes: 900 * 1024,
  partitions: 4,
  /** Peak resident set size allowed to the application process. */
  rssLimitMb: envNumber('SYSTEM_RSS_LIMIT_MB', 768),
  settleTimeoutMs: pick(120_000, 240_000),
};
