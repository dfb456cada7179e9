/**
 * An ISO-8601 duration as Kafka's reset tool takes it (`--by-duration PT1H`, `P1DT12H`,
 * `PT0.5S`), in milliseconds; `undefined` if `text` is not one. Days are 24 hours; years and
 * months, whose length varies, are not accepted.
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!match || text.trim().toUpperCase().endsWith('T') || match.slice(1).every((part) => part === undefined)) return undefined;
  const [, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return Math.round((((days! * 24 + hours!) * 60 + minutes!) * 60 + seconds!) * 1000);
}
