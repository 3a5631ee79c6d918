import { REFERENCE_TOPIC_BY_KIND, referenceEventMessage } from '@claims/contracts';
import { parseProviderDirectoryFile, type ReferenceCodes } from '@claims/enrichment';
import type { OutboundMessage, PipelineKafka } from '@claims/kafka';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from 'pino';

/**
 * Publishes the configured directory files (NPPES npidata, CMS clinician
 * file) to the reference topics, where every instance reads them: the topics
 * are the one way into the directory. Event ids and keys are derived from the
 * content, so publishing at every start adds nothing new.
 */
export async function publishProviderDirectoryFiles(
  files: readonly string[],
  pipeline: PipelineKafka,
  codes: ReferenceCodes,
  logger: Logger,
): Promise<void> {
  for (const file of files) {
    const parsed = parseProviderDirectoryFile((await readFile(file, 'utf8')).split(/\r?\n/), basename(file), codes);
    const byTopic = new Map<string, OutboundMessage[]>();
    for (const event of parsed.events) {
      const topic = pipeline.topic(REFERENCE_TOPIC_BY_KIND[event.kind]);
      const messages = byTopic.get(topic) ?? [];
      messages.push(referenceEventMessage(event));
      byTopic.set(topic, messages);
    }
    await pipeline.producer.send(byTopic);
    logger.info(
      { file: basename(file), published: parsed.events.length, rejected: parsed.rejected.length },
      'provider directory file published to the reference topics',
    );
  }
}
