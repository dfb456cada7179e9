import { connectionsApiChannel, decodeConsumerProtocolAssignment, kOptions, type Consumer, type GroupAssignment, type GroupOptions, type GroupPartitionsAssignments } from '@platformatic/kafka';
import type { GroupAssignor, MemberAssignment } from '../StreamsClient';

/**
 * A topic no member subscribes to: an assignment that names it tells the member to shut down
 * (the same signal the KafkaJS adapter sends; the client hands a member its assignment's topics).
 */
export const SHUTDOWN_SIGNAL_TOPIC = '__tributary-shutdown-requested';

/** Kafka's API key of SyncGroup, whose answer carries this member's assignment. */
const SYNC_GROUP = 14;

interface ApiDiagnostic {
  readonly apiKey?: number;
  readonly connection?: { readonly ownerId?: number };
  readonly result?: { readonly assignment?: Buffer };
}

/**
 * Plugs a {@link GroupAssignor} into the client's classic group protocol: the member's
 * metadata is `assignor.userData()`, and the leader's `partitionAssigner` runs `assign()`.
 *
 * The client has no per-member assignment user data: it encodes every member's assignment
 * with its `assignmentUserData` option, read once per member while it encodes. That option
 * is a getter here that answers the user data of the member being encoded (the
 * `assignments` getter of each returned member sets it just before). A group of one skips
 * the `partitionAssigner` and gives the leader every partition: the getter then runs the
 * assignor for that one member, so its user data (and a shutdown request) are the assignor's.
 *
 * The client also drops the user data of the assignment it receives; it is read from the
 * SyncGroup answer on the client's diagnostics channel, which reports every answer with the
 * connection's owner.
 */
export class PlatformaticAssigner {
  /** The last metadata this member sent, and what the assignor made of it when alone. */
  private ownUserData: Buffer = Buffer.alloc(0);
  private encoding: Buffer | undefined;
  private assignedThisJoin = false;
  private soloShutdown = false;
  private received: Buffer | undefined;
  private consumer: Consumer | undefined;
  private readonly onAnswer = (message: unknown) => {
    const diagnostic = message as ApiDiagnostic;
    if (diagnostic.apiKey !== SYNC_GROUP || !this.consumer || diagnostic.connection?.ownerId !== this.consumer.instanceId) return;
    const assignment = diagnostic.result?.assignment;
    if (!assignment || assignment.length === 0) return;
    try {
      this.received = decodeConsumerProtocolAssignment(assignment).userData ?? Buffer.alloc(0);
    } catch {
      this.received = undefined;
    }
  };

  constructor(private readonly assignor: GroupAssignor) {}

  /** The consumer options that make the client use the assignor. */
  groupOptions(): Required<Pick<GroupOptions, 'protocols' | 'protocolsMetadata' | 'partitionAssigner'>> {
    const self = this;
    return {
      protocols: [{ name: this.assignor.name, version: this.assignor.version }],
      protocolsMetadata: () => {
        this.assignedThisJoin = false;
        this.soloShutdown = false;
        this.received = undefined;
        this.ownUserData = this.assignor.userData();
        return this.ownUserData;
      },
      partitionAssigner: (_current, members) => {
        this.assignedThisJoin = true;
        const plan = this.assignor.assign(
          [...members.values()].map((m) => ({ memberId: m.memberId, topics: m.topics ?? [], userData: toBuffer(m.metadata) })),
        );
        return [...members.keys()].map((memberId): GroupPartitionsAssignments => {
          const assignment = plan.get(memberId);
          const byTopic = toGroupAssignments(assignment);
          return {
            memberId,
            get assignments() {
              self.encoding = assignment?.userData ?? Buffer.alloc(0);
              return byTopic;
            },
          };
        });
      },
    };
  }

  /**
   * Makes the consumer's `assignmentUserData` option answer per member, and starts reading
   * its SyncGroup answers. (The consumer copies its options when constructed, so the getter
   * goes on its copy.)
   */
  attach(consumer: Consumer): void {
    this.consumer = consumer;
    Object.defineProperty(consumer[kOptions], 'assignmentUserData', { configurable: true, enumerable: true, get: () => this.userDataToEncode() });
    connectionsApiChannel.asyncStart.subscribe(this.onAnswer);
  }

  detach(): void {
    connectionsApiChannel.asyncStart.unsubscribe(this.onAnswer);
  }

  /** The user data of the assignment received at the last join, if it was read. */
  receivedUserData(): Buffer | undefined {
    return this.received;
  }

  /** This member led a group of one whose only member asked for a shutdown. */
  shutdownRequestedAlone(): boolean {
    return !this.assignedThisJoin && this.soloShutdown;
  }

  private userDataToEncode(): Buffer {
    if (this.assignedThisJoin) return this.encoding ?? Buffer.alloc(0);
    // A group of one: the client assigns without asking; the assignor decides the user data.
    const memberId = this.consumer?.memberId ?? '';
    const alone = this.assignor.assign([{ memberId, topics: this.consumer?.topics.current ?? [], userData: this.ownUserData }]).get(memberId);
    this.soloShutdown = alone?.shutdownRequested === true;
    return alone?.userData ?? Buffer.alloc(0);
  }
}

function toBuffer(metadata: Buffer | string | undefined): Buffer {
  if (metadata === undefined) return Buffer.alloc(0);
  return typeof metadata === 'string' ? Buffer.from(metadata) : metadata;
}

function toGroupAssignments(assignment: MemberAssignment | undefined): Map<string, GroupAssignment> {
  const byTopic = new Map<string, GroupAssignment>();
  if (assignment?.shutdownRequested) {
    byTopic.set(SHUTDOWN_SIGNAL_TOPIC, { topic: SHUTDOWN_SIGNAL_TOPIC, partitions: [0] });
    return byTopic;
  }
  for (const { topic, partition } of assignment?.partitions ?? []) {
    let entry = byTopic.get(topic);
    if (!entry) byTopic.set(topic, (entry = { topic, partitions: [] }));
    entry.partitions.push(partition);
  }
  return byTopic;
}
