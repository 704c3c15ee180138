/**
 * Replies built from the standard itself: the JSON a Beacon API endpoint answers, assembled from
 * the `example` values the OpenAPI definitions in ../shared/beacon-APIs give each field (a whole
 * response example where one is written, else field by field through every $ref). The validator
 * client's parsers are then checked against what the API documents, not against what Gnomon's
 * own node happens to send.
 */
import {readFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {parse} from "yaml";

export const BEACON_APIS = fileURLToPath(new URL("../../../../../shared/beacon-APIs/", import.meta.url));

type Schema = Record<string, any>;

const files = new Map<string, unknown>();
function load(file: string): any {
  let doc = files.get(file);
  if (doc === undefined) {
    doc = parse(readFileSync(file, "utf8"));
    files.set(file, doc);
  }
  return doc;
}

/** Follows a `$ref` ("./x.yaml#/A/B", "#/A", "../y.yaml") from `file`; returns the target and its file. */
function resolve(ref: string, file: string): {schema: Schema; file: string} {
  const [path, pointer = ""] = ref.split("#");
  const target = path === "" ? file : join(dirname(file), path);
  let node = load(target);
  for (const key of pointer.split("/").filter((k) => k !== "")) {
    node = node[key.replace(/~1/g, "/").replace(/~0/g, "~")];
    if (node === undefined) throw new Error(`unresolved $ref ${ref} from ${file}`);
  }
  return {schema: node as Schema, file: target};
}

/** The documented example of `schema`: its own `example`, or one built from its parts. */
export function exampleOf(schema: Schema, file: string, depth = 0): unknown {
  if (depth > 40) throw new Error(`schema nesting too deep in ${file}`);
  if (schema.$ref !== undefined) {
    // A $ref with a sibling example documents this use of the type.
    if (schema.example !== undefined) return schema.example;
    const r = resolve(schema.$ref, file);
    return exampleOf(r.schema, r.file, depth + 1);
  }
  if (schema.example !== undefined) return schema.example;
  if (schema.allOf !== undefined) {
    return Object.assign({}, ...schema.allOf.map((s: Schema) => exampleOf(s, file, depth + 1)));
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives !== undefined) return exampleOf(alternatives[0], file, depth + 1);
  if (schema.enum !== undefined) return schema.enum[0];
  if (schema.type === "object" || schema.properties !== undefined) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) out[k] = exampleOf(v, file, depth + 1);
    return out;
  }
  if (schema.type === "array") return [exampleOf(schema.items, file, depth + 1)];
  if (schema.type === "boolean") return false;
  throw new Error(`no example for a schema of type ${schema.type} in ${file}`);
}

/**
 * The documented JSON reply of `method` on the API file `apiFile` (relative to apis/, e.g.
 * "validator/duties/attester.yaml") for `status`.
 */
export function documentedReply(apiFile: string, method: "get" | "post", status = "200"): any {
  const file = join(BEACON_APIS, "apis", apiFile);
  let response: Schema = load(file)[method].responses[status];
  let responseFile = file;
  if (response.$ref !== undefined) ({schema: response, file: responseFile} = resolve(response.$ref, file));
  const content = response.content["application/json"];
  if (content.example !== undefined) return content.example;
  return exampleOf(content.schema, responseFile);
}
