import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { X12CodeListError, parseX12CodeLists, remarkCodesOf, shippedRemarkCodes } from './x12-code-lists';
import { X12_SAMPLES } from './__tests__/x12-samples';

const CODES_XML = join(X12_SAMPLES, '..', 'codes', 'x12', 'codes.xml');

describe('parseX12CodeLists', () => {
  it('reads each codeset by id, leaving out codes inside XML comments', () => {
    const lists = parseX12CodeLists(`<?xml version="1.0"?><!-- <codeset><id>old</id></codeset> -->
      <codesets><codeset><id>remark_code</id><name>Remark Code</name><version>
        <!-- <eff_dte>20141101</eff_dte> --><code>M1</code>
        <!-- <code>M2</code> -->
        <code> N14 </code></version></codeset>
      <codeset><id>pos</id><version><code>11</code></version></codeset></codesets>`);
    expect([...lists.keys()]).toEqual(['remark_code', 'pos']);
    expect([...(lists.get('remark_code') ?? [])]).toEqual(['M1', 'N14']);
  });

  it('refuses a text without codesets, and code lists without RARCs, with a clear message', () => {
    expect(() => parseX12CodeLists('<codesets/>')).toThrow(X12CodeListError);
    expect(() => remarkCodesOf('<codeset><id>pos</id><code>11</code></codeset>')).toThrow(
      'the X12 code lists have no remark_code codeset',
    );
  });
});

describe('the vendored data/codes/x12/codes.xml', () => {
  it('lists every RARC that stands in a <code> of its remark_code codeset, and the samples’ MA02 and N14', () => {
    const xml = readFileSync(CODES_XML, 'utf8');
    const block = xml.slice(xml.indexOf('<id>remark_code</id>'));
    const raw = block.slice(0, block.indexOf('</codeset>')).match(/<code>[^<]*<\/code>/g) ?? [];
    expect(shippedRemarkCodes().size).toBe(raw.length);
    expect(['MA02', 'N14', 'M15'].every((code) => shippedRemarkCodes().has(code))).toBe(true);
    expect(shippedRemarkCodes().has('CO')).toBe(false);
  });
});
