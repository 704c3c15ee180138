/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for the tests: every
 * line is a comment (# HELP, # TYPE) or `name{labels} value`; anything else fails the parse.
 * Values are read as Prometheus reads them (Go's ParseFloat: NaN and Inf in any case; prom-client
 * writes an empty event-loop histogram's mean as "Nan").
 */
export function parsePrometheusText(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.eE+-]+|[nN][aA][nN]|[+-]?[iI][nN][fF])( [0-9]+)?$/;
  text.split("\n").forEach((line, i) => {
    if (line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) return;
    const m = sample.exec(line);
    if (m === null) throw new Error(`line ${i + 1} is not Prometheus text: ${line}`);
    const v = m[3].toLowerCase();
    out.set(m[1] + (m[2] ?? ""), v === "nan" ? NaN : v.endsWith("inf") ? (v.startsWith("-") ? -Infinity : Infinity) : Number(m[3]));
  });
  return out;
}
