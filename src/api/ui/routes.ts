/**
 * GET /ui: the live view of fork choice, a static page that reads the node's own REST API.
 * Every asset comes from the repository (no CDN, no build step), so the page loads on a machine
 * without internet; the files are read once, when the server is built.
 */
import {readFileSync} from "node:fs";
import type {FastifyReply} from "fastify";
import type {RouteGroup} from "../context.ts";

const ASSET_DIR = new URL("./assets/", import.meta.url);

const TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
} as const;

/** The page's files; only these are served (no path from the request reaches the file system). */
export const UI_ASSETS = ["index.html", "style.css", "favicon.svg", "client.js", "layout.js", "format.js", "view.js", "app.js"] as const;

/**
 * Scripts and styles only from the node itself; `connect-src` stays open because the page may be
 * pointed at another node's API (`/ui?node=http://127.0.0.1:5053`).
 */
const CSP = "default-src 'self'; connect-src *; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const uiRoutes: RouteGroup = (app) => {
  const files = new Map<string, {body: Buffer; type: string}>();
  for (const name of UI_ASSETS) {
    const ext = name.slice(name.lastIndexOf(".") + 1) as keyof typeof TYPES;
    files.set(name, {body: readFileSync(new URL(name, ASSET_DIR)), type: TYPES[ext]});
  }
  const index = files.get("index.html")!;

  const send = (file: {body: Buffer; type: string}) => async (_req: unknown, reply: FastifyReply) =>
    reply.type(file.type).header("Cache-Control", "no-cache").header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff").send(file.body);

  app.get("/ui", send(index));
  app.get("/ui/", send(index));
  for (const [name, file] of files) app.get(`/ui/${name}`, send(file));
};
