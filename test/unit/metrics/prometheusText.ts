/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for the tests: every
 * line is a comment (# HELP, # TYPE) or `name{labels} value`; anything else fails the parse.
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)( [0-9]+)?$/;
  text.split("\n").forEach((line, i) => {
    if (line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) return;
    const m = sample.exec(line);
    if (m === null) throw new Error(`line ${i + 1} is not Prometheus text: ${line}`);
    out.set(m[1] + (m[2] ?? ""), Number(m[3]));
  });
  return out;
}
