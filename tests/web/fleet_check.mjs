// One kiosk's row on the head-office fleet page, in headless Chromium: signs in and checks the row's state
// and flag. Used by the as-deployed end-to-end test (tests/e2e/run_as_deployed.sh).
// Environment: BASE_URL, WEB_DIR, CHROMIUM, OUT_DIR, USER_NAME, PASSWORD, KIOSK, STATE (the state cell's
// text), PRINTER (the printer cell's text), SCANNER (the scanner cell's text).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.WEB_DIR, 'package.json'));
const { chromium } = require('playwright-core');
const env = process.env;
let failures = 0;

function check(condition, what) {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
  if (!condition) failures += 1;
}

const browser = await chromium.launch({ executablePath: env.CHROMIUM, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${env.BASE_URL}/login?lang=en`);
  await page.fill('input[name=user]', env.USER_NAME);
  await page.fill('input[name=password]', env.PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#card-printer');
  check((await page.textContent('#card-printer b')).trim() === '1', 'the dashboard counts one printer that cannot print');
  await page.screenshot({ path: path.join(env.OUT_DIR, 'headoffice-dashboard.png'), fullPage: true });
  await page.goto(`${env.BASE_URL}/fleet?lang=en`);
  const row = page.locator(`tr[data-kiosk="${env.KIOSK}"]`);
  check((await row.count()) === 1, `the fleet page has a row for ${env.KIOSK}`);
  const cells = await row.locator('td').allTextContents();
  console.log(`     row: ${cells.join(' | ')}`);
  check((await row.getAttribute('class')).includes('attention'), `${env.KIOSK} is flagged for attention`);
  check((await row.locator('td.state').textContent()).trim() === env.STATE, `its state reads ${env.STATE}`);
  check(cells.includes(env.PRINTER), `its printer reads ${env.PRINTER}`);
  check((await row.locator('td.scanner').textContent()).trim() === env.SCANNER, `its scanner reads ${env.SCANNER}`);
  check(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/.test((await row.locator('td.started').textContent()).trim()), 'its start time is shown');
  check((await row.locator('td.frame-failures').textContent()).trim() === '0', 'it reports no failed frames');
  await page.screenshot({ path: path.join(env.OUT_DIR, 'headoffice-fleet.png'), fullPage: true });
} finally {
  await browser.close();
}
process.exit(failures === 0 ? 0 : 1);
