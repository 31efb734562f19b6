/**
 * Serves a built site under a sub-path (as a static host would publish it, e.g. https://host/labs/pbft/), so the
 * end-to-end tests can prove the build does not assume it lives at the root.
 *   npx tsx scripts/serve-subpath.ts <dir> <port> <sub-path>
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const [dir = 'dist', portArg = '4183', prefixArg = '/labs/pbft/'] = process.argv.slice(2);
const root = resolve(dir);
const prefix = prefixArg.endsWith('/') ? prefixArg : prefixArg + '/';
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
};

createServer((req, res) => {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
  if (!path.startsWith(prefix)) {
    res.writeHead(404).end('not under ' + prefix);
    return;
  }
  const file = normalize(join(root, path.slice(prefix.length) || 'index.html'));
  const target = existsSync(file) && statSync(file).isDirectory() ? join(file, 'index.html') : file;
  if (!target.startsWith(root) || !existsSync(target)) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' });
  createReadStream(target).pipe(res);
}).listen(Number(portArg), () => process.stdout.write(`serving ${root} at http://localhost:${portArg}${prefix}\n`));
