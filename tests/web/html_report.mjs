// Opens the HTML report goldens in a real browser (Debian's Chromium, driven
// by playwright-core) and checks what only a browser can tell: the page
// fetches and runs nothing, its markup parses into the intended structure,
// the CSS colours reach the SVG plots, nothing overflows a laptop or an A4
// page, and the hostile report's markup stays text.
//
// The goldens are written by reports/html_reporter_test.cc
// (KGATE_UPDATE_GOLDENS=1) and compared byte for byte there, so this checks
// exactly what the reporter renders for the fixture.
// Usage: node html_report.mjs reports/testdata    (exit 0 when every check holds)
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const testdata = path.resolve(process.argv[2] ?? 'reports/testdata');
const failures = [];

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}\n     ${e.message.split('\n').join('\n     ')}`);
  }
}

// Loads a golden with every request, console error, page error and dialog
// recorded.
async function open(browser, file, viewport) {
  const page = await browser.newPage({ viewport });
  const seen = { requests: [], errors: [], dialogs: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('dialog', async (d) => { seen.dialogs.push(d.message()); await d.dismiss(); });
  const url = pathToFileURL(path.join(testdata, file)).href;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(200);  // an onload/onerror handler would have fired by now
  return { page, seen, url };
}

// Horizontal overflow of the document, in CSS pixels (0 when it fits).
const overflow = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const { page, seen, url } = await open(browser, 'sample_report.html', { width: 1200, height: 900 });

  await check('fetches nothing but itself and runs no script', async () => {
    assert.deepEqual(seen.requests, [url]);
    assert.deepEqual(seen.errors, []);
    assert.equal(await page.evaluate(() => document.scripts.length), 0);
  });

  await check('forest plot: one parsed row per comparison, each with a word', async () => {
    const rows = await page.$$eval('table.forest tbody tr.forest-row', (trs) =>
      trs.map((tr) => ({
        word: tr.querySelector('.word')?.textContent,
        points: tr.querySelectorAll('svg circle.pt').length,
        muted: tr.classList.contains('muted'),
      })));
    assert.deepEqual(rows.map((r) => r.word),
                     ['regressed', 'improved', 'equivalent', 'regressed', 'inconclusive']);
    assert.deepEqual(rows.map((r) => r.points), [1, 1, 1, 1, 1]);
    assert.deepEqual(rows.map((r) => r.muted), [false, false, false, true, false]);
  });

  await check('classification colours reach the SVG points and whiskers', async () => {
    const colour = (sel) => page.$eval(sel, (e) => getComputedStyle(e).fill);
    assert.equal(await colour('tr.cls-regressed circle.pt'), 'rgb(207, 34, 46)');
    assert.equal(await colour('tr.cls-improved circle.pt'), 'rgb(26, 127, 55)');
    assert.equal(await colour('tr.cls-equivalent circle.pt'), 'rgb(110, 119, 129)');
    assert.equal(await page.$eval('tr.cls-improved line.ci', (e) => getComputedStyle(e).stroke),
                 'rgb(26, 127, 55)');
    assert.equal(await page.$eval('tr.muted td', (e) => getComputedStyle(e).opacity), '0.5');
  });

  await check('strip plots draw every sample of both arms inside the plot', async () => {
    const dots = await page.$$eval('figure.plot svg.strip', (svgs) => svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const inside = [...svg.querySelectorAll('circle.dot')].every((c) => {
        const b = c.getBoundingClientRect();
        return b.left >= box.left && b.right <= box.right && b.top >= box.top &&
               b.bottom <= box.bottom;
      });
      return {
        baseline: svg.querySelectorAll('circle.dot.arm-baseline').length,
        candidate: svg.querySelectorAll('circle.dot.arm-candidate').length,
        inside,
      };
    }));
    assert.deepEqual(dots, [{ baseline: 5, candidate: 5, inside: true },
                            { baseline: 5, candidate: 5, inside: true }]);
  });

  await check('fits a laptop and a narrow window without sideways scrolling', async () => {
    assert.equal(await overflow(page), 0);
    await page.setViewportSize({ width: 820, height: 900 });
    assert.equal(await overflow(page), 0);
  });

  await check('prints on A4 without overflow', async () => {
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 703, height: 1000 });  // A4 less 12 mm margins at 96 dpi
    assert.equal(await overflow(page), 0);
    const narrowest = await page.$$eval('table.forest svg',
                                        (s) => Math.min(...s.map((e) => e.getBoundingClientRect().width)));
    assert.ok(narrowest >= 259, `forest plot column only ${narrowest}px wide: axis labels unreadable`);
    const pdf = await page.pdf({ format: 'A4' });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 2 && pages <= 6, `${pages} pages`);
  });
  await page.close();

  const hostile = await open(browser, 'hostile_report.html', { width: 1200, height: 900 });
  await check('hostile report: markup from the store stays text', async () => {
    const p = hostile.page;
    assert.deepEqual(hostile.seen.dialogs, []);
    assert.deepEqual(hostile.seen.requests, [hostile.url]);
    assert.equal(await p.evaluate(() => document.scripts.length), 0);
    assert.equal(await p.evaluate(() => document.querySelectorAll(
      'img, iframe, [onload], [onerror], body style').length), 0);
    assert.equal(await p.evaluate(() => document.styleSheets.length), 1);
    assert.equal(await p.$eval('h1', (e) => e.textContent), '<script>alert(1)</script>');
    assert.equal(await p.$eval('tr.forest-row td.label b', (e) => e.textContent),
                 '"><svg onload=alert(1)>');
    assert.equal(await p.$$eval('tr.forest-row', (r) => r.length), 5);
    assert.ok((await p.$eval('#trials pre', (e) => e.textContent))
      .startsWith('oops</pre><img src=x onerror=alert(1)>\n\uFFFD\uFFFD[0m'));
    assert.ok(await p.evaluate(() => getComputedStyle(document.body).display !== 'none'));
  });
} finally {
  await browser.close();
}
if (failures.length > 0) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
