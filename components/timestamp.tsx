/** A point in time as the console shows it: UTC, to the second, the same on every machine. */
export function Timestamp({ value }: { value: Date | string }) {
  const date = new Date(value);
  const iso = date.toISOString();
  return (
    <time dateTime={iso} className="whitespace-nowrap tabular-nums">
      {iso.slice(0, 10)} {iso.slice(11, 19)}
    </time>
  );
}
