// Writes the benchmark's input: the interactions once for every variant and round, the
// customers table for the join, the Online Retail interactions for `crm`, and for the latency
// runs interactions at a fixed rate.
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import { loadOnlineRetail } from '@tributary/examples';
import { CUSTOMERS, customer, interaction } from './workload';

const BATCH = 20_000;
/** The Online Retail values are larger (about 300 B): a send of 20,000 on 4 partitions exceeds the broker's 1 MiB batch limit. */
const ONLINE_RETAIL_BATCH = 5_000;

/**
 * `records` interactions, event times spread over the hour before the current one (the broker's
 * time-based retention keeps them). One send at a time: each partition gets its records in
 * timestamp order, so the windowed count (no grace) drops nothing. Returns the average JSON size.
 */
export async function produceInteractions(kafka: Kafka, topic: string, records: number): Promise<number> {
  const baseTime = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
  const stepMs = 3_600_000 / records;
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  let bytes = 0;
  try {
    for (let from = 0; from < records; from += BATCH) {
      const messages: Message[] = [];
      for (let i = from; i < Math.min(records, from + BATCH); i++) {
        const value = interaction(i, baseTime, stepMs);
        const json = JSON.stringify(value);
        bytes += json.length;
        messages.push({ key: value.customerId, value: json, timestamp: String(value.timestamp) });
      }
      await producer.send({ topic, messages, acks: 1 });
    }
  } finally {
    await producer.disconnect();
  }
  return bytes / records;
}

/** One profile per customer, timestamped before every interaction so both engines load the table first. */
export async function produceCustomers(kafka: Kafka, topic: string): Promise<void> {
  const timestamp = String(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 7_200_000);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const messages: Message[] = [];
    for (let n = 0; n < CUSTOMERS; n++) messages.push({ key: `cust-${n}`, value: JSON.stringify(customer(n)), timestamp });
    await producer.send({ topic, messages, acks: 1 });
  } finally {
    await producer.disconnect();
  }
}

/**
 * The interactions of the Online Retail data set (406,785 of its 541,909 rows), produced as the
 * CRM demo produces them (`runExample` on Kafka): key the customer id, value the interaction as
 * JSON, timestamp its event time (2010-2011), in file order, which is event-time order. Returns
 * how many it wrote and their average JSON size.
 */
export async function produceOnlineRetail(kafka: Kafka, topic: string): Promise<{ records: number; averageBytes: number }> {
  const { interactions } = await loadOnlineRetail();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  let bytes = 0;
  try {
    for (let from = 0; from < interactions.length; from += ONLINE_RETAIL_BATCH) {
      const messages: Message[] = interactions.slice(from, from + ONLINE_RETAIL_BATCH).map((interaction) => {
        const json = JSON.stringify(interaction);
        bytes += json.length;
        return { key: interaction.customerId, value: json, timestamp: String(interaction.timestamp) };
      });
      await producer.send({ topic, messages, acks: 1 });
    }
  } finally {
    await producer.disconnect();
  }
  return { records: interactions.length, averageBytes: bytes / interactions.length };
}

/**
 * Interactions at `ratePerSecond` for `seconds`, each timestamped with the wall clock when it
 * is made (the start of its end-to-end latency). Sends every 10 ms what the rate owes by then.
 * Returns how many it wrote.
 */
export async function produceAtRate(kafka: Kafka, topic: string, ratePerSecond: number, seconds: number): Promise<number> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  let sent = 0;
  try {
    for (;;) {
      const elapsed = Date.now() - started;
      if (elapsed >= seconds * 1_000) break;
      const owed = Math.floor((elapsed * ratePerSecond) / 1_000) - sent;
      if (owed > 0) {
        const messages: Message[] = [];
        for (let i = sent; i < sent + owed; i++) {
          const now = Date.now();
          const value = interaction(i, now, 0);
          messages.push({ key: value.customerId, value: JSON.stringify(value), timestamp: String(now) });
        }
        await producer.send({ topic, messages, acks: 1 });
        sent += owed;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}
