// What both Kafka round trips of the packed-install check do around the application: write the
// words a, b, a to the input, then read the output with an independent consumer until it counts
// a=2 and b=1 (or fail after 60 s).
import { Kafka, logLevel } from 'kafkajs';

export async function wordsThroughKafka(brokers: string, input: string, output: string, readerGroup: string): Promise<Map<string, number>> {
  const kafka = new Kafka({ clientId: 'packed-install', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: readerGroup });
  try {
    await producer.connect();
    await producer.send({ topic: input, messages: ['a', 'b', 'a'].map((word, i) => ({ key: `line-${i}`, value: word })) });
    const counts = new Map<string, number>();
    await consumer.connect();
    await consumer.subscribe({ topics: [output], fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          // Serdes.number() is Kafka's DoubleSerde: eight bytes, big-endian.
          counts.set(String(message.key), message.value?.readDoubleBE(0) ?? Number.NaN);
          if (counts.get('a') === 2 && counts.get('b') === 1) resolve();
        },
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no counts a=2, b=1 on ${output} within 60 s; read: ${JSON.stringify([...counts])}`)), 60_000);
    });
    await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
    return counts;
  } finally {
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
  }
}
