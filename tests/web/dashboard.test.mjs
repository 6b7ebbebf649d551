// The dashboard in a real browser: Debian's Chromium driven by playwright-core
// over a running `kgate serve` on the synthetic fixture (five runs, two
// proposals, one titled "<script>alert(1)</script>").
// Usage: node dashboard.test.mjs URL ARTIFACT_DIR
// Checks each page's content, that stored HTML renders as text with no
// dialog and no script element of its own, that refused paths answer 400/404,
// and saves a full-page screenshot of every page into ARTIFACT_DIR.
// Prints "ok"/"FAIL" per check; exits 1 on any failure.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {chromium} from 'playwright-core';

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error('usage: node dashboard.test.mjs URL ARTIFACT_DIR');
  process.exit(2);
}
const FIXTURE_RUNS = [1, 2, 3, 4, 5];
const HOSTILE = '<script>alert(1)</script>';
let failures = 0;
function check(cond, what) {
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${what}`);
  if (!cond) failures++;
}

// A GET with the path sent exactly as written (fetch and curl normalise "..").
function rawGet(target) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({host: u.hostname, port: u.port, path: target, method: 'GET'},
                             (res) => {
                               let body = '';
                               res.on('data', (d) => { body += d; });
                               res.on('end', () => resolve({status: res.statusCode, body}));
                             });
    req.on('error', reject);
    req.end();
  });
}

fs.mkdirSync(outDir, {recursive: true});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({viewport: {width: 1360, height: 900}});
const dialogs = [];
const problems = [];
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });

async function open(pathname) {
  await page.goto(base.replace(/\/$/, '') + pathname);
  await page.waitForSelector('body[data-ready]', {timeout: 15000});
  check(await page.getAttribute('body', 'data-ready') === '1', `${pathname} rendered`);
}
async function shot(name) {
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  console.log(`screenshot ${file}`);
}
// No <script> element but the page's own app.js, in the page and its frames.
async function noForeignScripts(where) {
  for (const frame of page.frames()) {
    const foreign = await frame.evaluate(() => Array.from(document.scripts)
      .filter((s) => !(s.src && new URL(s.src).pathname === '/assets/app.js'))
      .map((s) => s.outerHTML.slice(0, 80)));
    check(foreign.length === 0, `${where}: no script element from data (${frame.url()}) ${foreign}`);
  }
}
const rows = (sel) => page.locator(sel).count();

// Runs page: every fixture run, hostile title as text.
await open('/');
check(await rows('#runs tbody tr') === FIXTURE_RUNS.length, 'runs page lists all 5 fixture runs');
const hostileCells = page.locator('#runs td.title', {hasText: HOSTILE});
check(await hostileCells.count() === 2, 'hostile title shown as literal text in both its runs');
check(await hostileCells.first().textContent() === HOSTILE, 'hostile title text is exact');
await noForeignScripts('runs');
await shot('runs');

// Filter by verdict.
await page.selectOption('#f-verdict', 'FAIL');
await page.waitForFunction(() => document.getElementById('run-count').textContent === '2 runs');
const verdicts = await page.locator('#runs tbody .verdict').allTextContents();
check(verdicts.length === 2 && verdicts.every((v) => v === 'FAIL'), `verdict filter: ${verdicts}`);
check(page.url().includes('verdict=FAIL'), 'filter is kept in the URL');
await shot('runs-filtered-fail');

// Clicking a run opens its report.
await open('/');
await page.click('a[data-run-link="2"]');
await page.waitForURL(/\/runs\/2$/);
await page.waitForSelector('body[data-ready]');
check(await page.textContent('#run-title') === `Run #2 · ${HOSTILE}`, 'run page title as text');
check(await page.textContent('.runhead .verdict') === 'PASS', 'run page shows the verdict');
const report = page.frameLocator('#report');
await report.locator('body').waitFor();
const reportText = await report.locator('body').innerText();
check(reportText.includes(HOSTILE), 'report shows the hostile title as text');
check(reportText.includes('PASS'), 'report shows the verdict');
check(reportText.includes('<img src=x onerror=alert(3)>'), 'report shows stored HTML as text');
await noForeignScripts('run report');
await shot('run-2');

// Proposal history: one row and one verdict mark per run.
await open('/proposals/readahead-ml-agent');
check(await rows('#history tbody tr') === 3, 'proposal history has one row per run (3)');
check(await rows('#scores-chart rect[data-run]') === 3, 'history chart has one verdict mark per run');
check(await rows('#scores-chart circle[data-score="benefit"]') === 3, 'one benefit point per run');
await shot('proposal-readahead-ml-agent');
await open('/proposals/xss-probe');
check(await page.textContent('#proposal-title') === HOSTILE, 'history title as text');
await noForeignScripts('proposal history');
await shot('proposal-xss-probe');

// Trend: exactly one point per run.
await open('/trend?scenario=hackbench-pipe&metric=time');
const points = await page.locator('#trend-chart circle.point[data-run]')
  .evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-run'))));
check(JSON.stringify(points) === JSON.stringify(FIXTURE_RUNS),
      `trend chart has one point per run: ${points}`);
check(await rows('#trend-table tbody tr.moved') === 3, 'trend marks the 3 runs that moved');
await shot('trend');

// Compare two runs.
await open('/compare?a=1&b=5');
check(await rows('#compare-table tbody tr') === 1, 'compare shows the table');
const cls = await page.textContent('#compare-table tbody tr td .cls');
check(cls === 'improved', `compare classifies run 5 against run 1: ${cls}`);
await shot('compare');

await open('/proposals');
check(await rows('tbody tr') === 2, 'proposals page lists both proposals');
await noForeignScripts('proposals');
await shot('proposals');

check(dialogs.length === 0, `no dialog opened ${JSON.stringify(dialogs)}`);
check(problems.length === 0, `no page errors or console errors ${JSON.stringify(problems)}`);
await browser.close();

// Refused requests.
for (const [target, want] of [['/../etc/passwd', [400]], ['/%2e%2e/etc/passwd', [400]],
                              ['/assets/..%2f..%2fetc%2fpasswd', [400]],
                              ['/runs/1%27%20OR%201=1', [400]], ['/api/runs/abc', [400]],
                              ['/api/runs/1%20OR%201=1', [400]], ['/api/runs/999999', [404]],
                              ['/runs/999999', [404]]]) {
  const r = await rawGet(target);
  check(want.includes(r.status) && !r.body.includes('root:'), `GET ${target} -> ${r.status}`);
}

console.log(failures ? `dashboard browser test: ${failures} failure(s)` : 'dashboard browser test: ok');
process.exit(failures ? 1 : 0);
