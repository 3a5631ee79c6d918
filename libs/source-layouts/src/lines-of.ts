import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines (LF or CRLF) without holding more than one
 * chunk and one partial line: the consumer's `await` between lines is the
 * back-pressure that keeps a 1 GB file in constant memory.
 */
export async function* linesOf(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  for await (const chunk of chunks) {
    partial += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let newline = partial.indexOf('\n', start);
    while (newline !== -1) {
      const end = newline > start && partial.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      yield partial.slice(start, end);
      start = newline + 1;
      newline = partial.indexOf('\n', start);
    }
    partial = partial.slice(start);
  }
  partial += decoder.end();
  if (partial.length > 0) yield partial.endsWith('\r') ? partial.slice(0, -1) : partial;
}
