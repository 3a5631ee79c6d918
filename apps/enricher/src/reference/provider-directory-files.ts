import { REFERENCE_TOPIC_BY_KIND, referenceEventMessage } from '@claims/contracts';
import {
  MAX_PROVIDER_DIRECTORY_FILE_BYTES,
  oversizeDirectoryFileReason,
  parseProviderDirectoryFile,
  ReferenceFormatError,
  type ReferenceCodes,
} from '@claims/enrichment';
import type { OutboundMessage, PipelineKafka } from '@claims/kafka';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Logger } from 'pino';

/**
 * Publishes the configured directory files (NPPES npidata, CMS clinician
 * file) to the reference topics, where every instance reads them: the topics
 * are the one way into the directory. Event ids and keys are derived from the
 * content, so publishing at every start adds nothing new.
 *
 * @throws ReferenceFormatError naming the file when it is too large to read
 * whole (before reading any of it) or its header is neither layout's.
 */
export async function publishProviderDirectoryFiles(
  files: readonly string[],
  pipeline: PipelineKafka,
  codes: ReferenceCodes,
  logger: Logger,
  maxFileBytes: number = MAX_PROVIDER_DIRECTORY_FILE_BYTES,
): Promise<void> {
  // Every file is sized before any is published: a start refused for one publishes none of them.
  for (const file of files) {
    const oversize = oversizeDirectoryFileReason(basename(file), (await stat(file)).size, maxFileBytes);
    if (oversize !== null) throw new ReferenceFormatError(`PROVIDER_DIRECTORY_FILES: ${oversize}`);
  }
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
