// The generated tables in README.md and docs/ARCHITECTURE.md sit between a begin and an end marker: this puts
// a new table there, leaving the rest of the document as it is.

// `text` with what lies between `begin` and `end` replaced by `table`; throws, naming `what`, without them.
export function betweenMarkers(text: string, begin: string, end: string, table: string, what: string): string {
  const at = text.indexOf(begin);
  const until = text.indexOf(end);
  if (at < 0 || until < at) throw new Error(`${what} markers (${begin} ... ${end})`);
  return `${text.slice(0, at + begin.length)}\n${table}\n${text.slice(until)}`;
}
