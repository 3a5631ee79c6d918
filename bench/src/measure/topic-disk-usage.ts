import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@claims/harness';

/**
 * Bytes a topic occupies in the local broker's log segments: what each
 * record really costs on the wire and on disk, batch framing and headers
 * included. Null when the broker is not the local one scripts/kafka starts.
 */
export function topicBytesOnDisk(topic: string): number | null {
  try {
    const state = JSON.parse(readFileSync(join(REPO_ROOT, '.cache', 'kafka', 'state.json'), 'utf8')) as {
      dataDir?: string;
    };
    if (!state.dataDir) return null;
    let bytes = 0;
    for (const directory of readdirSync(state.dataDir)) {
      if (!directory.startsWith(`${topic}-`) || !/-\d+$/.test(directory)) continue;
      for (const segment of readdirSync(join(state.dataDir, directory))) {
        if (segment.endsWith('.log')) bytes += statSync(join(state.dataDir, directory, segment)).size;
      }
    }
    return bytes;
  } catch {
    return null;
  }
}
