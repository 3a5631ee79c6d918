import { shippedFolder } from '@claims/source-layouts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shipped code lists cannot be read: a packaging fault that stops the start, never a fault of the input. */
export class X12CodeListError extends Error {
  readonly code = 'X12_CODE_LIST_INVALID';
  readonly retriable = false;
}

/**
 * The X12 code lists of pyx12's map/codes.xml (vendored byte for byte as
 * data/codes/x12/codes.xml; provenance in data/README.md): `<codeset>`s, each
 * an `<id>` and the `<code>`s of its `<version>`. Read with a few patterns
 * rather than an XML parser (the project adds no dependency for one flat
 * file); XML comments are dropped first, so a code commented out there is
 * not a code here.
 * @throws X12CodeListError when no codeset can be read
 */
export function parseX12CodeLists(xml: string): Map<string, Set<string>> {
  const lists = new Map<string, Set<string>>();
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  for (const [, body = ''] of text.matchAll(/<codeset>([\s\S]*?)<\/codeset>/g)) {
    const id = /<id>\s*([^<]*?)\s*<\/id>/.exec(body)?.[1];
    if (!id) continue;
    const codes = lists.get(id) ?? new Set<string>();
    for (const [, code = ''] of body.matchAll(/<code>\s*([^<]*?)\s*<\/code>/g)) if (code !== '') codes.add(code);
    lists.set(id, codes);
  }
  if (lists.size === 0) {
    throw new X12CodeListError('no <codeset> with an <id> in the X12 code lists');
  }
  return lists;
}

/** The remittance advice remark codes (RARC, codeset `remark_code`) of a codes.xml text. */
export function remarkCodesOf(xml: string): ReadonlySet<string> {
  const codes = parseX12CodeLists(xml).get('remark_code');
  if (!codes || codes.size === 0) {
    throw new X12CodeListError('the X12 code lists have no remark_code codeset');
  }
  return codes;
}

export function loadRemarkCodes(path: string): ReadonlySet<string> {
  return remarkCodesOf(readFileSync(path, 'utf8'));
}

let shipped: ReadonlySet<string> | null = null;

/** data/codes/x12/codes.xml's RARCs, read once per process. */
export function shippedRemarkCodes(): ReadonlySet<string> {
  shipped ??= loadRemarkCodes(join(shippedFolder('data', 'codes', 'x12'), 'codes.xml'));
  return shipped;
}
