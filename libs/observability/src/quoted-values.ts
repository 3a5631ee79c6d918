/**
 * A library's message without the values it quotes. Postgres quotes the value
 * it refused (`invalid input syntax for type date: "1931-02-30"`), the key of
 * the row it found (`Key (claim_id)=(…)`) and the bytes it could not decode
 * (`0xe9 0x20`); JSON.parse quotes the text it could not read. The words of
 * the message stay, and with them what went wrong; which value it was is
 * never written to a log line or a span.
 */
export function withoutQuotedValues(text: string): string {
  return text
    .replace(/"[^"\n]*"/g, '"…"')
    .replace(/'[^'\n]*'/g, "'…'")
    .replace(/\(([^()\n]*)\)=\((?:[^()\n]|\([^()\n]*\))*\)/g, '($1)=(…)')
    .replace(/\b0x[0-9a-f]{2}(?: 0x[0-9a-f]{2})*/gi, '0x…');
}
