#!/usr/bin/env node
// drizzle-kit 1.0 (installed as drizzle-kit-v1) next to drizzle-orm 0.45: its requests for
// `drizzle-orm/…` would find 0.45 at the root, so they are pointed at drizzle-orm-v1, the 1.0 it
// checks for. Used by the tests and to convert a folder:
//   node scripts/drizzle-kit-v1.mjs up --dialect postgresql --out migrations/x
import Module, { createRequire, register } from 'node:module';

const redirect = (request) =>
  request === 'drizzle-orm' || request.startsWith('drizzle-orm/') ? `drizzle-orm-v1${request.slice('drizzle-orm'.length)}` : request;

// import(): a resolve hook (runs in the loader thread, so it carries its own copy of the rule).
register(
  `data:text/javascript,${encodeURIComponent(`export async function resolve(specifier, context, next) {
    const to = specifier === 'drizzle-orm' || specifier.startsWith('drizzle-orm/') ? 'drizzle-orm-v1' + specifier.slice('drizzle-orm'.length) : specifier;
    return next(to, context);
  }`)}`,
);
// require(): Node 20's hooks do not see it.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, redirect(request), ...rest);
};

createRequire(import.meta.url)('../node_modules/drizzle-kit-v1/bin.cjs');
