import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DeadLetterHeaders,
  DeserializationError,
  ErrorHandlers,
  ProcessingError,
  Serdes,
  StreamsBuilder,
  TaskFailedError,
  silentLogger,
  type ErrorHandler,
  type Logger,
} from '@tributary/core';
import { TopologyTestDriver } from '@tributary/core/testing';

const Interaction = z.object({
  customer: z.string(),
  amount: z.number().nonnegative(),
});
type Interaction = z.infer<typeof Interaction>;

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** Reads interactions (validated by zod), doubles the amount, and throws on a poison customer. */
function topology() {
  const builder = new StreamsBuilder();
  builder
    .stream('interactions', { valueSerde: Serdes.json(Interaction) })
    .mapValues((interaction) => {
      if (interaction.customer === 'poison') throw new RangeError('poison customer');
      return { ...interaction, amount: interaction.amount * 2 };
    })
    .to('doubled');
  return builder.build();
}

function recordingLogger() {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

/** The three kinds of bad record, each written as a producer would (raw bytes at offset 1, after a good record at offset 0). */
const badRecords = {
  'a value that is not JSON': { raw: utf8('{"customer": "c1", amount'), kind: DeserializationError, reason: 'deserialization-error', message: /Cannot deserialize the record at topic 'interactions' partition 0 offset 1: .*JSON/ },
  'a value failing its Standard Schema (zod)': {
    raw: utf8('{"customer":"c1","amount":-5}'),
    kind: DeserializationError,
    reason: 'deserialization-error',
    message: /Cannot deserialize the record at topic 'interactions' partition 0 offset 1: schema validation failed: amount: .*/,
  },
  'an exception thrown by user code': {
    raw: utf8('{"customer":"poison","amount":1}'),
    kind: ProcessingError,
    reason: 'processing-error',
    message: /Processor KSTREAM-MAPVALUES-0000000001 failed on the record at topic 'interactions' partition 0 offset 1: poison customer/,
  },
} as const;

function driverWith(handler: ErrorHandler | undefined, logger: Logger = silentLogger) {
  return new TopologyTestDriver(topology(), {
    ...(handler ? { deserializationErrorHandler: handler, processingErrorHandler: handler } : {}),
    logger,
  });
}

describe.each(Object.entries(badRecords))('%s', (_name, bad) => {
  it('logAndFail (the default) throws, naming topic, partition and offset, and leaves the offset uncommitted', () => {
    const { logger, lines } = recordingLogger();
    using driver = driverWith(undefined, logger);
    const input = driver.createInputTopic<string, Interaction>('interactions');
    input.pipeInput('c1', { customer: 'c1', amount: 1 });
    let error: unknown;
    try {
      input.pipeRaw(utf8('c1'), bad.raw, 0, { origin: 'crm' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TaskFailedError);
    expect((error as Error).cause).toBeInstanceOf(bad.kind);
    expect((error as Error).message).toMatch(bad.message);
    // Offset 1 is not committable: the committed position stays at 1 (the next record to read).
    expect(driver.committedOffsets().get('interactions')?.get(0)).toBe(1);
    expect(lines.some((line) => line.startsWith('error') && bad.message.test(line))).toBe(true);
    // The task stays failed.
    expect(() => input.pipeInput('c2', { customer: 'c2', amount: 1 })).toThrow(TaskFailedError);
    expect(driver.committedOffsets().get('interactions')?.get(0)).toBe(1);
    expect(driver.createOutputTopic('doubled').readValuesToList()).toEqual([{ customer: 'c1', amount: 2 }]);
  });

  it('logAndContinue skips the record, counts it, logs a warning, and later records flow', () => {
    const { logger, lines } = recordingLogger();
    using driver = driverWith(ErrorHandlers.logAndContinue(), logger);
    const input = driver.createInputTopic<string, Interaction>('interactions');
    input.pipeInput('c1', { customer: 'c1', amount: 1 });
    input.pipeRaw(utf8('c1'), bad.raw);
    input.pipeInput('c2', { customer: 'c2', amount: 5 });
    expect(driver.createOutputTopic<string, Interaction>('doubled').readKeyValuesToList()).toEqual([
      ['c1', { customer: 'c1', amount: 2 }],
      ['c2', { customer: 'c2', amount: 10 }],
    ]);
    expect(driver.metrics().droppedByReason).toEqual({ [bad.reason]: 1 });
    expect(driver.metrics().droppedRecords).toBe(1);
    expect(driver.committedOffsets().get('interactions')?.get(0)).toBe(3);
    expect(lines.filter((line) => line.startsWith('warn'))).toHaveLength(1);
    expect(lines.find((line) => line.startsWith('warn'))).toMatch(bad.message);
  });

  it('deadLetter(topic) sends the original bytes and headers with the error in __streams.errors.* headers, and goes on', () => {
    using driver = driverWith(ErrorHandlers.deadLetter('interactions-dlq'));
    const input = driver.createInputTopic<string, Interaction>('interactions');
    input.pipeInput('c1', { customer: 'c1', amount: 1 });
    input.pipeRaw(utf8('c1'), bad.raw, 777, { origin: 'crm' });
    input.pipeInput('c2', { customer: 'c2', amount: 5 });
    const [dead, ...more] = driver.topics.written('interactions-dlq');
    expect(more).toEqual([]);
    expect(dead!.key).toEqual(utf8('c1'));
    expect(dead!.value).toEqual(bad.raw);
    expect(dead!.timestamp).toBe(777);
    const headers = dead!.headers;
    expect(headers.origin).toBe('crm');
    expect(headers[DeadLetterHeaders.exception]).toBe(bad.kind.name);
    expect(headers[DeadLetterHeaders.message]).toMatch(bad.message);
    expect(headers[DeadLetterHeaders.topic]).toBe('interactions');
    expect(headers[DeadLetterHeaders.partition]).toBe('0');
    expect(headers[DeadLetterHeaders.offset]).toBe('1');
    expect(headers['__streams.errors.exception']).toBe(bad.kind.name);
    expect(String(headers[DeadLetterHeaders.stacktrace])).toContain(bad.kind.name);
    expect(driver.createOutputTopic('doubled').readKeyValuesToList().map(([k]) => k)).toEqual(['c1', 'c2']);
    expect(driver.metrics().droppedByReason).toEqual({ 'dead-letter': 1 });
    expect(driver.committedOffsets().get('interactions')?.get(0)).toBe(3);
  });
});

describe('error handlers', () => {
  it('name the processor that threw in the dead-letter headers', () => {
    using driver = driverWith(ErrorHandlers.deadLetter('dlq'));
    driver.createInputTopic<string, Interaction>('interactions').pipeInput('p', { customer: 'poison', amount: 1 });
    expect(driver.topics.written('dlq')[0]!.headers[DeadLetterHeaders.processor]).toBe('KSTREAM-MAPVALUES-0000000001');
  });

  it('tell deserialization errors from processing errors, with the record origin', () => {
    const seen: string[] = [];
    const handler: ErrorHandler = (error, context) => {
      seen.push(`${context.kind} ${context.topic}/${context.partition}@${context.offset} ${context.processor ?? '-'} ${error.name}`);
      return 'continue';
    };
    using driver = driverWith(handler);
    const input = driver.createInputTopic<string, Interaction>('interactions');
    input.pipeRaw(utf8('a'), utf8('nope'));
    input.pipeInput('b', { customer: 'poison', amount: 1 });
    expect(seen).toEqual([
      'deserialization interactions/0@0 - DeserializationError',
      'processing interactions/0@1 KSTREAM-MAPVALUES-0000000001 ProcessingError',
    ]);
  });

  it('fail the task when a handler itself throws', () => {
    using driver = driverWith(() => {
      throw new Error('handler bug');
    });
    expect(() => driver.createInputTopic<string, Interaction>('interactions').pipeRaw(utf8('a'), utf8('nope'))).toThrow(
      /the deserialization error handler threw: handler bug/,
    );
  });

  it('validate with zod 4 through Serdes.json(schema), reporting every issue with its path', () => {
    const serde = Serdes.json(Interaction);
    expect(serde.deserialize('t', utf8('{"customer":"c","amount":3}'))).toEqual({ customer: 'c', amount: 3 });
    expect(() => serde.deserialize('t', utf8('{"customer":1,"amount":"x"}'))).toThrow(/schema validation failed: customer: .*; amount: .*/);
    expect(serde.deserialize('t', null)).toBeNull();
    expect(serde.name).toBe('json(schema)');
  });

  it('reject an asynchronous schema with a clear message', () => {
    const serde = Serdes.json(z.string().refine(async () => true));
    expect(() => serde.deserialize('t', utf8('"x"'))).toThrow(/needs a synchronous validator/);
  });

  it('drop a record whose key fails to deserialize too', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { keySerde: Serdes.number() }).to('out', { keySerde: Serdes.number() });
    using driver = new TopologyTestDriver(builder.build(), { deserializationErrorHandler: ErrorHandlers.logAndContinue(), logger: silentLogger });
    const input = driver.createInputTopic<number, unknown>('in');
    input.pipeRaw(utf8('abc'), utf8('1'));
    input.pipeInput(7, 1);
    expect(driver.createOutputTopic<number, number>('out').readKeyValuesToList()).toEqual([[7, 1]]);
    expect(driver.metrics().droppedByReason['deserialization-error']).toBe(1);
  });
});
