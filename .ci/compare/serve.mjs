// A small static server for the TimelineJS side of .ci/compare/run, on
// loopback. It serves what a CDN or any web server would: the page, the
// converted data and TimelineJS's dist/ files from the installed npm package,
// gzip-compressed for text types when the browser asks (as the app's own
// responses are), with Content-Length and no caching headers.
//
//   node serve.mjs ADDR PORT PAGE.html DATA.json DIST_DIR
//
//   /                 PAGE.html
//   /timeline.json    DATA.json
//   /timelinejs/...   DIST_DIR/...
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [addr, port, page, data, dist] = process.argv.slice(2);
if (!dist) {
  console.error('usage: node serve.mjs ADDR PORT PAGE.html DATA.json DIST_DIR');
  process.exit(2);
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.png': 'image/png',
  '.map': 'application/json',
};
const compressible = new Set(['.html', '.json', '.js', '.css', '.svg', '.ttf', '.eot', '.map']);

// Files are read and compressed once; a CDN would serve them precompressed.
const cache = new Map();
function load(file) {
  let f = cache.get(file);
  if (!f) {
    const body = fs.readFileSync(file);
    const ext = path.extname(file);
    f = {
      body,
      gz: compressible.has(ext) ? zlib.gzipSync(body, { level: 6 }) : null,
      type: types[ext] || 'application/octet-stream',
    };
    cache.set(file, f);
  }
  return f;
}

const distRoot = path.resolve(dist);
function resolve(urlPath) {
  if (urlPath === '/' || urlPath === '/index.html') return page;
  if (urlPath === '/timeline.json') return data;
  if (urlPath.startsWith('/timelinejs/')) {
    const p = path.resolve(distRoot, '.' + decodeURIComponent(urlPath.slice('/timelinejs'.length)));
    if (p.startsWith(distRoot + path.sep)) return p;
  }
  return null;
}

http.createServer((req, res) => {
  const urlPath = new URL(req.url, 'http://x').pathname;
  const file = resolve(urlPath);
  let f;
  try {
    f = file && fs.statSync(file).isFile() ? load(file) : null;
  } catch {
    f = null;
  }
  if (!f) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  const headers = { 'Content-Type': f.type };
  let body = f.body;
  if (f.gz) {
    headers['Vary'] = 'Accept-Encoding';
    if (/\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
      headers['Content-Encoding'] = 'gzip';
      body = f.gz;
    }
  }
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}).listen(Number(port), addr, () => {
  console.log(`serving ${page} and ${data} on http://${addr}:${port}/`);
});
