import { PipelineKafka } from '@claims/kafka';
import { createLogger } from '@claims/observability';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadIngestorConfig } from '../ingestor.config';
import { FileIngestionService } from './file-ingestion.service';

const CARRIER_LINES = readFileSync(
  join(__dirname, '../../../../data/desynpuf/sample2/DE1_0_2008_to_2010_Carrier_Claims_Sample_2B.csv'),
  'utf8',
).split('\n');
const X12 = readFileSync(join(__dirname, '../../../../data/x12/linuxforhealth/837_005010X222A2/demo.autoaccident.837'));

/**
 * The door's check and the dry run read a file and publish nothing: the use case is exercised
 * whole with its producer never started, so no broker is needed.
 */
describe('FileIngestionService checks at the door', () => {
  let root: string;
  let ingestion: FileIngestionService;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'claims-ingestion-'));
    const config = loadIngestorConfig({ KAFKA_BROKERS: '127.0.0.1:9', INGEST_ROOT: root });
    const logger = createLogger({ service: 'ingestor', level: 'silent' });
    ingestion = new FileIngestionService(config, logger, new PipelineKafka(config.kafka, 'ingestor', logger));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a gzip file with NUL padding between its members, rather than read its first member as the whole file', async () => {
    const first = gzipSync(`${CARRIER_LINES.slice(0, 4).join('\n')}\n`);
    const second = gzipSync(`${CARRIER_LINES.slice(4, 7).join('\n')}\n`);
    writeFileSync(join(root, 'carrier.csv.gz'), Buffer.concat([first, Buffer.alloc(512), second]));

    await expect(ingestion.dryRunFile('carrier.csv.gz')).rejects.toMatchObject({ code: 'FILE_COMPRESSION_INVALID' });
  });

  it('answers at the door for a terabyte without a line break (a preallocated file) without reading it through', async () => {
    // Sparse: a terabyte of NULs that takes no disk. Read through, the door's answer would take hours.
    const path = join(root, 'preallocated.csv');
    writeFileSync(path, '');
    truncateSync(path, 1024 ** 4);

    await expect(ingestion.checkSourceFile('preallocated.csv')).rejects.toMatchObject({
      code: 'LAYOUT_UNKNOWN',
      message: expect.stringMatching(/^preallocated\.csv has no header row in its first 33554432 bytes/),
    });
  });

  it('refuses at the door an X12 interchange saved as UTF-16, saying so, rather than start a job that fails', async () => {
    // PowerShell's `>` and Notepad's "Unicode" write UTF-16 little-endian with its byte-order mark.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(X12.toString('latin1'), 'utf16le')]);
    writeFileSync(join(root, 'claims.837'), utf16);

    await expect(ingestion.checkSourceFile('claims.837')).rejects.toMatchObject({
      code: 'LAYOUT_UNKNOWN',
      message: 'claims.837 is an X12 interchange saved as UTF-16 text: send it as ASCII or UTF-8, as X12 is written',
    });
  });

  it("skips a spreadsheet's empty row (delimiters only) as the blank line it is, not as a record to dead-letter", async () => {
    const [header, row] = CARRIER_LINES;
    writeFileSync(join(root, 'carrier.csv'), [header, ',,,,,', row, ' , ,"",', ''].join('\n'));
    expect(await ingestion.dryRunFile('carrier.csv')).toMatchObject({
      recordsRead: 1,
      recordsValid: 1,
      recordsDeadLettered: 0,
      blankLinesSkipped: 2,
    });
  });

  it('takes an X12 interchange after a byte-order mark and blank lines at the door and in the reading alike', async () => {
    writeFileSync(join(root, 'claims.837'), Buffer.concat([Buffer.from('\ufeff\r\n\n'), X12]));

    expect(await ingestion.checkSourceFile('claims.837')).toMatchObject({ layout: 'x12' });
    expect(await ingestion.dryRunFile('claims.837', { layout: 'x12' })).toMatchObject({
      layout: 'x12',
      recordsRead: 1,
    });
  });
});
