// The head-office dashboard as staff use it, in headless Chromium: sign in, see a silent kiosk
// flagged, find a ticket and its timeline, read a report whose figures were worked out by hand
// (tests/sync/dashboard_fixture.hpp), and upload a bad catalog. A screenshot of each step goes to OUT_DIR.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.WEB_DIR, 'package.json'));
const { chromium } = require('playwright-core');

const base = process.env.BASE_URL;
const out = process.env.OUT_DIR;
let failures = 0;

function check(condition, what) {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
  if (!condition) failures += 1;
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  // Refused sign-ins and uploads answer 401/422 on purpose; any other console error is a fault.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });

  // Sign in: a wrong password first.
  await page.goto(`${base}/login?lang=en`);
  await page.fill('input[name=user]', 'admin');
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button[type=submit]');
  check((await page.textContent('#login-error')).includes('Wrong user name or password'), 'a wrong password is refused');
  await shot(page, '01-login-refused');
  await page.fill('input[name=user]', 'admin');
  await page.fill('input[name=password]', 'admin password');
  await page.click('button[type=submit]');
  await page.waitForSelector('#card-tickets');
  check(new URL(page.url()).pathname === '/', 'signed in, on the dashboard');
  check((await page.textContent('#card-silent b')).trim() === '1', 'the dashboard counts one silent kiosk');
  check((await page.textContent('#card-printer b')).trim() === '1', 'the dashboard counts one printer that cannot print');
  await shot(page, '02-dashboard');

  // Fleet: S020-K2 has not been heard from for three hours (threshold 60 minutes).
  await page.click('nav >> text=Fleet');
  const silentRow = page.locator('tr[data-kiosk="S020-K2"]');
  check((await silentRow.getAttribute('class')).includes('silent'), 'S020-K2 is flagged silent');
  check((await silentRow.locator('td.state').textContent()).trim() === 'silent', 'its state reads silent');
  const liveRow = page.locator('tr[data-kiosk="S012-K1"]');
  check(!(await liveRow.getAttribute('class')).includes('silent'), 'S012-K1 is not silent');
  check((await liveRow.textContent()).includes('paper_near_end'), 'S012-K1 reports its printer low on paper');
  const paperOutRow = page.locator('tr[data-kiosk="S030-K3"]');
  check((await paperOutRow.getAttribute('class')).includes('attention'), 'S030-K3 is flagged: its printer cannot print');
  check((await paperOutRow.locator('td.state').textContent()).trim() === 'paper_out', 'its state reads paper_out');
  await shot(page, '03-fleet');

  // Tickets: search by serial, then open one.
  await page.click('nav >> text=Tickets');
  await page.fill('#ticket-search input[name=serial]', 'SN-REPEAT-0001');
  await page.click('#ticket-search button[type=submit]');
  const found = page.locator('#tickets tbody tr');
  check((await found.count()) === 2, 'two tickets carry serial SN-REPEAT-0001');
  check((await page.textContent('#tickets')).includes('138****5678'), 'phone numbers are masked in the list');
  await shot(page, '04-ticket-search');
  await found.first().locator('a').click();
  await page.waitForSelector('#timeline');
  check((await page.textContent('#chain-result')).includes('Hash chain intact'), 'the hash chain checks out');
  check((await page.locator('#timeline tbody tr').count()) === 5, 'the timeline has all five events');
  check((await page.textContent('#timeline')).includes('Received'), 'events show head office receipt time');
  const facts = await page.textContent('dl.facts');
  check(facts.includes('电池一小时就没电了'), "the ticket shows the customer's description");
  check(facts.includes('sanbao-repair') && facts.includes('returning customer') && facts.includes('battery and charging'),
    'the ticket shows the clause, and labels instead of ids for the tier and the problem category');
  await shot(page, '05-ticket-timeline');

  // Service quality, 1-30 November 2026, by store: figures worked out by hand.
  await page.goto(`${base}/reports?by=store&from=2026-11-01&to=2026-11-30`);
  const total = page.locator('#quality tr.total');
  const cell = async (name) => (await total.locator(`td.${name}`).textContent()).trim();
  check((await cell('tickets')) === '4', 'tickets: 4');
  check((await cell('sla')) === '50.0%', 'SLA compliance: 50.0%');
  check((await cell('first-response')) === '43.3', 'first response: 43.3 min');
  check((await cell('resolution')) === '248.0', 'resolution: 248.0 h');
  check((await cell('csat')) === '3.67', 'CSAT average: 3.67');
  check((await cell('complaints')) === '25.0%', 'complaint rate: 25.0%');
  check((await cell('repeats')) === '1', 'repeat repairs: 1');
  check((await page.textContent('#deflection')).includes('30.0%'), 'self-help deflection: 30.0%');
  check((await page.locator('svg.chart').count()) === 2, 'two charts drawn');
  await shot(page, '06-report');
  const csv = await page.request.get(await page.getAttribute('#csv', 'href').then((h) => `${base}${h}`));
  check(csv.ok() && (await csv.text()).includes('"S012","S012",4,4,2,0.50'), 'the CSV export has the same figures');

  await page.goto(`${base}/reports?by=region&from=2026-11-01&to=2026-11-30`);
  check((await page.locator('#quality tr[data-key="华南 South"] td.tickets').textContent()).trim() === '4', 'by region: 华南 South has 4 tickets');

  // Publishing: a catalog with a bad GTIN check digit is refused with its line.
  await page.click('nav >> text=Publishing');
  await page.selectOption('select[name=dataset]', 'catalog');
  await page.setInputFiles('input[name=file]', process.env.BAD_CATALOG);
  await page.click('#publish-form button[type=submit]');
  await page.waitForSelector('#publish-error');
  check((await page.textContent('#publish-error')).includes('bad_catalog.csv:2'), 'the bad catalog is refused at line 2');
  await shot(page, '07-publish-refused');

  // The language switch.
  await page.goto(`${base}/fleet?lang=zh`);
  check((await page.textContent('h1')).trim() === '设备', 'the pages switch to Chinese');
  await shot(page, '08-fleet-zh');
  check(errors.length === 0, `no console errors (${errors.join('; ')})`);
} finally {
  await browser.close();
}

if (failures > 0) {
  console.log(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('all dashboard checks passed');
