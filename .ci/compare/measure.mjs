// Loads pages in headless Chromium, each run in a new browser with a new,
// empty profile (so an empty cache), and measures what a reader's first visit
// costs. Driven by .ci/compare/run; needs puppeteer-core (never `puppeteer`,
// which downloads a browser of its own) installed in the folder named by
// TIMELINE_COMPARE_CACHE (default ~/.cache/timeline-compare), outside the repo.
//
//   node measure.mjs CONFIG.json > RESULTS.md
//
// CONFIG: {"chromium": "/usr/bin/chromium", "runs": 5, "timeout_s": 120,
//          "width": 1280, "height": 800, "json_out": "results.json",
//          "targets": [{"name": "...", "url": "...", "data": "export.json",
//                       "count_js": "...", "standins": {URL: FILE},
//                       "screenshot": "first-run.png"}]}
// "data" is the `timeline export` the page shows; its event titles are what
// the page is checked for. "count_js" is an expression that counts the events
// the page has rendered. "standins" answers requests to other hosts with local
// files (everything else off loopback fails at once).
//
// Per run, from the Chrome DevTools Protocol (Network domain) and the page's
// Performance API:
//   - requests: http(s) requests made, and bytes: encoded (on the wire,
//     headers included: loadingFinished.encodedDataLength) and decoded (the
//     bodies after gzip: the sum of dataReceived.dataLength);
//   - first-contentful-paint and largest-contentful-paint (PerformanceObserver);
//   - DOMContentLoaded and load (navigation timing, event end, from the start
//     of navigation);
//   - "events in DOM": when the text of one of the story's first five events
//     is first in the document (checked every animation frame), since a
//     page's first paint may be only a "Loading" message;
//   - DOM elements once settled.
// A run ends when the page has loaded, the network has been idle for 500 ms
// and the events are in the DOM (or timeout_s has passed), plus one second for
// late paints. Runs of the targets are interleaved, so background load on the
// machine falls on each alike; medians are printed.
//
// One more load per target with JavaScript disabled counts how many of the
// story's event titles a reader sees without it (document.body.innerText).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const cacheDir = process.env.TIMELINE_COMPARE_CACHE || path.join(os.homedir(), '.cache', 'timeline-compare');
const puppeteer = createRequire(path.join(cacheDir, 'package.json'))('puppeteer-core');

const cfg = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const runs = cfg.runs ?? 5;
const timeoutMs = (cfg.timeout_s ?? 120) * 1000;
const width = cfg.width ?? 1280;
const height = cfg.height ?? 800;

function log(...a) {
  console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);
}

function titlesOf(file) {
  const d = JSON.parse(fs.readFileSync(file, 'utf8'));
  return d.events.map((e) => e.title);
}

async function launch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-compare-profile-'));
  const browser = await puppeteer.launch({
    executablePath: cfg.chromium ?? '/usr/bin/chromium',
    // Exactly these flags, none of puppeteer's own (it adds only the pipe).
    ignoreDefaultArgs: true,
    pipe: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', `--user-data-dir=${dir}`,
      `--window-size=${width},${height}`,
      // Nothing leaves the machine: any host but loopback fails at once,
      // without a DNS query.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
      'about:blank',
    ],
    defaultViewport: { width, height },
    protocolTimeout: timeoutMs + 60_000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// What runs in the page before its own scripts: notes when the events' text is
// first in the document.
function pageProbe(markers) {
  window.__cmp = { eventsInDom: null };
  const check = () => {
    const t = document.body && document.body.textContent;
    if (t && markers.some((m) => t.includes(m))) {
      window.__cmp.eventsInDom = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

async function measureOnce(target, markers, shot) {
  const b = await launch();
  try {
    const page = (await b.browser.pages())[0] ?? (await b.browser.newPage());
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    const reqs = new Map(); // requestId -> {url, type, encoded, decoded, done}
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!/^https?:/.test(e.request.url)) return;
      const r = reqs.get(e.requestId);
      if (r) {
        // A redirect re-uses the id: count the hop as a request of its own.
        reqs.set(`${e.requestId}#${Math.random()}`, { ...r });
      }
      reqs.set(e.requestId, { url: e.request.url, type: e.type, encoded: 0, decoded: 0, done: false });
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = reqs.get(e.requestId);
      if (r) r.decoded += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = reqs.get(e.requestId);
      if (r) { r.encoded = e.encodedDataLength; r.done = true; }
    });
    cdp.on('Network.loadingFailed', (e) => {
      const r = reqs.get(e.requestId);
      if (r) { r.failed = e.errorText; r.done = true; }
    });
    // Requests to other hosts that a stand-in file is given for (TimelineJS's
    // Google Fonts) are answered with that file instead of failing.
    const standins = target.standins || {};
    if (Object.keys(standins).length > 0) {
      cdp.on('Fetch.requestPaused', async (e) => {
        const file = standins[e.request.url];
        try {
          if (file) {
            const body = fs.readFileSync(file);
            await cdp.send('Fetch.fulfillRequest', {
              requestId: e.requestId, responseCode: 200,
              responseHeaders: [{ name: 'Content-Type', value: file.endsWith('.ttf') ? 'font/ttf' : 'application/octet-stream' },
                { name: 'Content-Length', value: String(body.length) },
                { name: 'Access-Control-Allow-Origin', value: '*' }],
              body: body.toString('base64'),
            });
          } else {
            await cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'NameNotResolved' });
          }
        } catch (err) {
          log(`  stand-in for ${e.request.url}: ${err.message}`);
        }
      });
      await cdp.send('Fetch.enable', {
        patterns: [...new Set(Object.keys(standins).map((u) => new URL(u).origin + '/*'))].map((p) => ({ urlPattern: p })),
      });
    }
    await page.evaluateOnNewDocument(pageProbe, markers);

    const t0 = Date.now();
    let timedOut = false;
    await page.goto(target.url, { waitUntil: 'load', timeout: timeoutMs });
    const left = () => Math.max(1000, timeoutMs - (Date.now() - t0));
    try {
      await page.waitForNetworkIdle({ idleTime: 500, timeout: left() });
      await page.waitForFunction(() => window.__cmp && window.__cmp.eventsInDom !== null,
        { timeout: left(), polling: 250 });
    } catch (err) {
      timedOut = true;
      log(`  ${target.name}: not settled within ${timeoutMs / 1000} s (${err.message.split('\n')[0]})`);
    }
    await new Promise((r) => setTimeout(r, 1000));

    const perf = await page.evaluate(async () => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const lcp = await new Promise((resolve) => {
        let last = null;
        try {
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) last = e;
          }).observe({ type: 'largest-contentful-paint', buffered: true });
        } catch { /* unsupported */ }
        setTimeout(() => resolve(last ? { t: last.startTime, el: last.element ? last.element.tagName.toLowerCase() + (last.element.className ? '.' + String(last.element.className).split(' ')[0] : '') : '', size: last.size } : null), 100);
      });
      return {
        ttfb: nav ? nav.responseStart : null,
        dcl: nav ? nav.domContentLoadedEventEnd : null,
        load: nav ? nav.loadEventEnd : null,
        fcp: fcp ? fcp.startTime : null,
        lcp: lcp ? lcp.t : null,
        lcpElement: lcp ? lcp.el : null,
        eventsInDom: window.__cmp ? window.__cmp.eventsInDom : null,
        elements: document.getElementsByTagName('*').length,
      };
    });
    perf.rendered = target.count_js ? await page.evaluate(target.count_js) : null;
    if (shot) await page.screenshot({ path: shot });
    const list = [...reqs.values()];
    const byType = {};
    for (const r of list) {
      const t = (byType[r.type] ??= { n: 0, encoded: 0, decoded: 0 });
      t.n++; t.encoded += r.encoded; t.decoded += r.decoded;
    }
    return {
      ...perf,
      timedOut,
      requests: list.length,
      offsite: list.filter((r) => !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(r.url)).length,
      offsiteBytes: list.filter((r) => !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(r.url)).reduce((s, r) => s + r.encoded, 0),
      unfinished: list.filter((r) => !r.done).length,
      failed: list.filter((r) => r.failed).map((r) => `${r.url} (${r.failed})`),
      encoded: list.reduce((s, r) => s + r.encoded, 0),
      decoded: list.reduce((s, r) => s + r.decoded, 0),
      byType,
      urls: list.map((r) => `${r.type} ${r.encoded} ${r.decoded} ${r.url}`),
    };
  } finally {
    await b.close();
  }
}

async function withoutJS(target, titles) {
  const b = await launch();
  try {
    const page = (await b.browser.pages())[0] ?? (await b.browser.newPage());
    await page.setJavaScriptEnabled(false);
    await page.goto(target.url, { waitUntil: 'load', timeout: timeoutMs });
    const text = await page.evaluate(() => document.body ? document.body.innerText : '');
    const norm = (s) => s.replace(/\s+/g, ' ');
    const t = norm(text);
    let seen = 0;
    for (const title of titles) if (t.includes(norm(title))) seen++;
    return { seen, total: titles.length };
  } finally {
    await b.close();
  }
}

function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

const kb = (n) => (n == null ? '–' : `${(n / 1024).toFixed(1)} KB`);
const ms = (n) => (n == null ? '–' : `${Math.round(n)} ms`);

const results = {};
for (const t of cfg.targets) {
  const titles = titlesOf(t.data);
  results[t.name] = { target: t, titles, runs: [] };
}
for (let i = 0; i < runs; i++) {
  for (const t of cfg.targets) {
    const r = results[t.name];
    log(`run ${i + 1}/${runs}: ${t.name} ${t.url}`);
    try {
      const m = await measureOnce(t, r.titles.slice(0, 5), i === 0 ? t.screenshot : null);
      r.runs.push(m);
      log(`  ${m.requests} requests, ${kb(m.encoded)} on the wire, ${kb(m.decoded)} decoded, FCP ${ms(m.fcp)}, LCP ${ms(m.lcp)}, events in DOM ${ms(m.eventsInDom)}, load ${ms(m.load)}`);
    } catch (err) {
      log(`  ${t.name}: run failed: ${err.message.split('\n')[0]}`);
      r.runs.push({ error: err.message.split('\n')[0] });
    }
  }
}
for (const t of cfg.targets) {
  log(`without JavaScript: ${t.name}`);
  try {
    results[t.name].noJS = await withoutJS(t, results[t.name].titles);
  } catch (err) {
    results[t.name].noJS = { error: err.message.split('\n')[0] };
  }
}

const names = cfg.targets.map((t) => t.name);
const rows = [
  ['Events in the data', (r) => String(r.titles.length)],
  ['Events rendered on the page', (r) => String(median(r.runs.map((x) => x.rendered)) ?? '–')],
  ['Requests', (r) => String(median(r.runs.map((x) => x.requests)) ?? '–')],
  ['… of which to other hosts (Google Fonts)', (r) => String(median(r.runs.map((x) => x.offsite)) ?? '–')],
  ['Bytes transferred (wire, gzip, headers incl.)', (r) => kb(median(r.runs.map((x) => x.encoded)))],
  ['… of which from other hosts', (r) => kb(median(r.runs.map((x) => x.offsiteBytes)))],
  ['Bytes decoded (bodies)', (r) => kb(median(r.runs.map((x) => x.decoded)))],
  ['… of which JavaScript (decoded)', (r) => kb(median(r.runs.map((x) => x.byType?.Script?.decoded ?? 0)))],
  ['First contentful paint', (r) => ms(median(r.runs.map((x) => x.fcp)))],
  ['Largest contentful paint', (r) => ms(median(r.runs.map((x) => x.lcp)))],
  ['Events\' text in the DOM', (r) => ms(median(r.runs.map((x) => x.eventsInDom)))],
  ['DOMContentLoaded', (r) => ms(median(r.runs.map((x) => x.dcl)))],
  ['load', (r) => ms(median(r.runs.map((x) => x.load)))],
  ['DOM elements', (r) => String(median(r.runs.map((x) => x.elements)) ?? '–')],
  ['Event titles readable without JavaScript', (r) => r.noJS?.error ? `error: ${r.noJS.error}` : `${r.noJS.seen} of ${r.noJS.total}`],
  ['Runs completed (of ' + runs + ')', (r) => String(r.runs.filter((x) => !x.error && !x.timedOut).length)],
];
const out = [];
out.push(`| Median of ${runs} cold loads, ${width}×${height} | ${names.join(' | ')} |`);
out.push(`|---|${names.map(() => '---:').join('|')}|`);
for (const [label, f] of rows) out.push(`| ${label} | ${names.map((n) => f(results[n])).join(' | ')} |`);
out.push('');
out.push('Requests of the first run (type, bytes on the wire, decoded bytes, URL):');
out.push('');
for (const n of names) {
  const first = results[n].runs.find((x) => x.urls);
  out.push(`- ${n}:`);
  for (const u of first ? first.urls : []) out.push(`  - ${u}`);
  const failed = first ? first.failed : [];
  for (const f of failed) out.push(`  - FAILED ${f}`);
}
console.log(out.join('\n'));
if (cfg.json_out) {
  fs.writeFileSync(cfg.json_out, JSON.stringify(Object.fromEntries(
    names.map((n) => [n, { url: results[n].target.url, noJS: results[n].noJS, runs: results[n].runs }])), null, 1));
}
