import { AssignerProtocol, type Kafka } from 'kafkajs';

function subscribedTopics(memberMetadata: Buffer): string[] {
  try {
    return AssignerProtocol.MemberMetadata.decode(memberMetadata)?.topics ?? [];
  } catch {
    // A member of another protocol (a Connect worker, a non-Java assignor) says nothing we can read.
    return [];
  }
}

/**
 * The consumer groups with a live member subscribed to `topic`: who would
 * read what is published there now. Publishing to a topic nobody reads (a
 * wrong KAFKA_TOPIC_NAMESPACE, a pipeline not started) only parks records
 * where no KPI will ever count them, so the CLI door asks this first.
 *
 * KafkaJS's admin client is used here directly, beside the port in
 * libs/kafka, because this is the one place that asks who consumes.
 */
export async function consumerGroupsReading(kafka: Kafka, topic: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const consumerGroups = groups.filter((group) => group.protocolType === 'consumer').map((group) => group.groupId);
    if (consumerGroups.length === 0) return [];
    const described = await admin.describeGroups(consumerGroups);
    return described.groups
      .filter((group) => group.members.some((member) => subscribedTopics(member.memberMetadata).includes(topic)))
      .map((group) => group.groupId)
      .sort();
  } finally {
    await admin.disconnect();
  }
}
