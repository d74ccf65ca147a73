// End-to-end test of `fzlint serve` in headless Chromium (Debian's package).
//
//   node tests/browser/e2e.mjs            (after `cargo build --release` and `npm ci` here)
//
// Starts the server on a free loopback port, then drives the page as a drafter
// would: uploads a Word report and checks that the page shows the same
// findings as `fzlint check --format json`, uploads a broken report and waits
// for the highlights, checks the checklist, the outline and the findings list,
// opens a rule's explanation, pastes a text with CJK and astral-plane
// characters and checks that each highlight covers exactly the span of its
// finding, applies the safe fixes and downloads the result, and checks the
// messages for a too-large and an unreadable file. Saves screenshots to
// target/test-artifacts/ (and the README's docs/serve.png when it is missing
// or FZLINT_UPDATE_DOCS=1). Every request the page makes must go to the
// server itself.
//
// Exits 0 with a SKIP line only when no Chromium is installed and
// FZLINT_BROWSER_REQUIRED is not set.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const fixtures = join(root, 'tests', 'fixtures');
const artifacts = join(root, 'target', 'test-artifacts');
const deadline = Date.now() + 120_000;

const chromiumPath = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!chromiumPath) {
  if (process.env.FZLINT_BROWSER_REQUIRED) {
    console.error('browser test: FAIL: Chromium is not installed (apt-get install chromium)');
    process.exit(1);
  }
  console.log('browser test: SKIP: Chromium is not installed and could not be installed (apt-get install chromium)');
  process.exit(0);
}
const bin = process.env.FZLINT_BIN ? resolve(process.env.FZLINT_BIN) : [join(root, 'target', 'release', 'fzlint'), join(root, 'target', 'debug', 'fzlint')].find((p) => existsSync(p));
if (!bin) {
  console.error('browser test: FAIL: no fzlint binary: run cargo build --release first');
  process.exit(1);
}

let passed = 0;
let failed = 0;
function check(cond, what, detail) {
  if (cond) {
    passed += 1;
    console.log('  ok   ' + what);
  } else {
    failed += 1;
    console.log('  FAIL ' + what + (detail !== undefined ? ': ' + JSON.stringify(detail).slice(0, 400) : ''));
  }
}

function cliJson(args, input) {
  try {
    return JSON.parse(execFileSync(bin, ['check', '--format', 'json', ...args], { cwd: fixtures, input, encoding: 'utf8' }));
  } catch (e) {
    // exit code 1: findings
    return JSON.parse(e.stdout);
  }
}

// Start the server on a free port; its first stderr line names the address.
async function startServer() {
  const child = spawn(bin, ['serve', '--addr', '127.0.0.1:0', '--max-upload-mb', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error('server did not start: ' + buf)), 15_000);
    child.stderr.on('data', (d) => {
      buf += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(buf);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    child.on('exit', (code) => rej(new Error('server exited with ' + code + ': ' + buf)));
  });
  return { child, url };
}

const { chromium } = await import('playwright-core');
const { child: server, url: base } = await startServer();
const profile = mkdtempSync(join(tmpdir(), 'fzlint-chromium-'));
mkdirSync(artifacts, { recursive: true });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1366, height: 768 },
  acceptDownloads: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const timer = setInterval(() => {
  if (Date.now() > deadline) {
    console.error('browser test: FAIL: took longer than 120 s');
    server.kill();
    process.exit(1);
  }
}, 1000);

const outside = [];
await context.route('**/*', (route) => {
  const u = route.request().url();
  if (u.startsWith(base + '/') || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
  outside.push(u);
  return route.abort();
});

const page = context.pages()[0] || (await context.newPage());
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

async function waitChecked() {
  await page.waitForFunction(() => /检查完成/.test(document.getElementById('status').textContent) || !document.getElementById('error').hidden, null, { timeout: 20_000 });
}

try {
  console.log('browser test: ' + chromiumPath + ' against ' + base);
  await page.goto(base + '/');
  await page.waitForFunction(() => document.getElementById('version').textContent.length > 0);
  check((await page.title()).includes('法治政府建设年度报告检查'), 'the page has a Chinese title');
  check(await page.evaluate(() => document.documentElement.lang === 'zh-CN'), 'lang is zh-CN');

  // Keyboard: the skip link, then the file chooser.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'file-input'), 'the file chooser is reached with Tab');

  // The offset conversion on CJK and astral-plane characters.
  const conv = await page.evaluate(() => Object.fromEntries(window.fzlintPage.utf16Offsets('a中𠀀b😀', [0, 1, 2, 4, 8, 9, 13, 99])));
  check(JSON.stringify(conv) === JSON.stringify({ 0: 0, 1: 1, 2: 2, 4: 2, 8: 4, 9: 5, 13: 7, 99: 7 }), 'UTF-8 byte offsets map to UTF-16 indices', conv);

  // 1. A Word report: the same findings as the CLI.
  await page.setInputFiles('#file-input', join(fixtures, 'good_report.docx'));
  await waitChecked();
  const cliDocx = cliJson(['good_report.docx']);
  const docxState = await page.evaluate(() => ({
    findings: document.querySelectorAll('.finding').length,
    lines: document.querySelectorAll('#report .line').length,
    parts: Array.from(document.querySelectorAll('#parts li')).map((li) => li.dataset.state),
    outline: document.querySelectorAll('#outline li').length,
    error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent,
  }));
  check(docxState.error === null, 'the .docx is read', docxState.error);
  check(docxState.findings === cliDocx.files[0].diagnostics.length, '.docx: as many findings as the CLI', [docxState.findings, cliDocx.files[0].diagnostics.length]);
  check(docxState.lines > 10, '.docx: the extracted text is shown');
  check(docxState.parts.join() === 'found,found,found,found', '.docx: the checklist shows the four parts found', docxState.parts);
  check(docxState.outline === cliDocx.files[0].outline.length, '.docx: the outline tree has every heading', [docxState.outline, cliDocx.files[0].outline.length]);

  // 2. A broken report: highlights, checklist, findings grouped by rule.
  await page.setInputFiles('#file-input', join(fixtures, 'broken_report.txt'));
  await waitChecked();
  await page.waitForSelector('#report mark');
  const cliBroken = cliJson(['broken_report.txt']);
  const brokenText = readFileSync(join(fixtures, 'broken_report.txt'));
  const broken = await page.evaluate(() => ({
    marks: Array.from(document.querySelectorAll('#report mark')).map((m) => ({ f: m.dataset.f.split(' ').map(Number), text: m.textContent, cls: m.className })),
    parts: Object.fromEntries(Array.from(document.querySelectorAll('#parts li')).map((li) => [li.dataset.part, li.dataset.state])),
    groups: Array.from(document.querySelectorAll('.group')).map((g) => ({ rule: g.dataset.rule, n: g.querySelectorAll('.finding').length, link: g.querySelector('a[href^="#rule/"]') !== null })),
    items: Array.from(document.querySelectorAll('.finding')).map((li) => li.querySelector('.message').textContent),
  }));
  const diags = cliBroken.files[0].diagnostics;
  check(broken.items.length === diags.length, 'broken: every finding is listed', [broken.items.length, diags.length]);
  check(diags.every((d) => broken.items.includes(d.message)), 'broken: the messages are the CLI\'s');
  const byRule = {};
  for (const d of diags) byRule[d.rule] = (byRule[d.rule] || 0) + 1;
  check(broken.groups.length === Object.keys(byRule).length && broken.groups.every((g) => byRule[g.rule] === g.n && g.link), 'broken: findings grouped by rule, each with a link to its explanation', broken.groups);
  let spansOk = true;
  diags.forEach((d, k) => {
    const covering = broken.marks.filter((m) => m.f.includes(k));
    if (d.length === 0) {
      if (!covering.some((m) => m.cls.includes('point'))) spansOk = false;
      return;
    }
    const expected = brokenText.subarray(d.offset, d.offset + d.length).toString('utf8').replace(/[\r\n]/g, '');
    const got = covering.map((m) => m.text).join('');
    if (got !== expected) {
      spansOk = false;
      console.log('    span of finding', k, d.rule, JSON.stringify(expected), '!=', JSON.stringify(got));
    }
  });
  check(spansOk, 'broken: every highlight covers exactly its finding\'s span');
  check(broken.marks.some((m) => m.cls.includes('sev-error')) && broken.marks.some((m) => m.cls.includes('sev-warning')), 'broken: highlights coloured by severity');
  const sections = cliBroken.files[0].sections;
  const expectedParts = Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, !v ? 'missing' : v.as_heading ? 'found' : 'inline']));
  check(JSON.stringify(broken.parts) === JSON.stringify(expectedParts), 'broken: the checklist matches the CLI\'s sections', [broken.parts, expectedParts]);
  await page.screenshot({ path: join(artifacts, 'serve-broken.png') });

  // A rule's explanation, opened from the findings list and closed with Escape.
  await page.click('.group a[href^="#rule/"]');
  await page.waitForSelector('#rule-dialog[open]');
  const dialog = await page.evaluate(() => document.getElementById('rule-body').textContent);
  check(/规则说明/.test(dialog) && /依据/.test(dialog) && /错误示例/.test(dialog), 'the rule explanation opens with its five parts');
  await page.keyboard.press('Escape');
  check(await page.evaluate(() => !document.getElementById('rule-dialog').open), 'Escape closes the explanation');

  // 3. Pasted text with CJK and astral-plane characters before findings; fixes.
  const pasted = readFileSync(join(fixtures, 'broken_report.txt'), 'utf8') +
    '四、其他情况\n𠀀𠮷😀 2024年,我局开展培训 , 共 12次。。依据某府办发[2024]3号文件。\n';
  await page.click('#paste-box summary');
  await page.fill('#paste', pasted);
  await page.click('#check-paste');
  await waitChecked();
  const cliPasted = cliJson(['-'], pasted);
  const pastedBytes = Buffer.from(pasted, 'utf8');
  const pastedMarks = await page.evaluate(() => Array.from(document.querySelectorAll('#report mark')).map((m) => ({ f: m.dataset.f.split(' ').map(Number), text: m.textContent })));
  const astralStart = Buffer.byteLength(pasted.slice(0, pasted.indexOf('𠀀')), 'utf8');
  let astralOk = true;
  let astralChecked = 0;
  cliPasted.files[0].diagnostics.forEach((d, k) => {
    if (d.length === 0 || d.offset < astralStart) return;
    astralChecked += 1;
    const expected = pastedBytes.subarray(d.offset, d.offset + d.length).toString('utf8').replace(/[\r\n]/g, '');
    const got = pastedMarks.filter((m) => m.f.includes(k)).map((m) => m.text).join('');
    if (got !== expected) {
      astralOk = false;
      console.log('    span of finding', k, d.rule, JSON.stringify(expected), '!=', JSON.stringify(got));
    }
  });
  check(astralChecked >= 4 && astralOk, 'pasted: highlights after astral-plane characters cover exactly their spans', astralChecked);
  check(await page.evaluate(() => document.querySelectorAll('.finding').length) === cliPasted.files[0].diagnostics.length, 'pasted: as many findings as the CLI on stdin');

  await page.click('#fix-btn');
  await page.waitForSelector('#fix-panel:not([hidden])');
  const diffText = await page.evaluate(() => document.getElementById('diff').innerText);
  check(/^\+.*2024年，我局开展培训，共12次。/m.test(diffText), 'the diff shows the fixed line', diffText.slice(0, 300));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-fixed')]);
  const fixedPath = join(artifacts, 'fixed.txt');
  await download.saveAs(fixedPath);
  const fixedByCli = execFileSync(bin, ['check', '--fix', '-'], { input: pasted, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  check(readFileSync(fixedPath, 'utf8') === fixedByCli, 'the downloaded text equals `fzlint check --fix -`');
  check(download.suggestedFilename().endsWith('.txt'), 'the download has a file name', download.suggestedFilename());
  await page.screenshot({ path: join(artifacts, 'serve.png') });
  const docsShot = join(root, 'docs', 'serve.png');
  if (!existsSync(docsShot) || process.env.FZLINT_UPDATE_DOCS) {
    mkdirSync(dirname(docsShot), { recursive: true });
    copyFileSync(join(artifacts, 'serve.png'), docsShot);
    console.log('  (screenshot copied to docs/serve.png)');
  }

  // 4. Too large and unreadable files: one clear line, no trace.
  const big = join(artifacts, 'big.txt');
  writeFileSync(big, '关于2024年法治政府建设情况的报告\n'.repeat(40_000));
  await page.setInputFiles('#file-input', big);
  await page.waitForSelector('#error:not([hidden])');
  const bigError = await page.evaluate(() => document.getElementById('error').textContent);
  check(/文件过大/.test(bigError) && /1 MB/.test(bigError), 'a too large file: clear message', bigError);
  const junk = join(artifacts, '报告.docx');
  writeFileSync(junk, Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8, 9]));
  await page.setInputFiles('#file-input', junk);
  await page.waitForFunction(() => /无法读取/.test(document.getElementById('error').textContent));
  const junkError = await page.evaluate(() => document.getElementById('error').textContent);
  check(/Word/.test(junkError) && !/panick|backtrace|src\//.test(junkError), 'an unreadable file: one-line Chinese error', junkError);
  await page.screenshot({ path: join(artifacts, 'serve-error.png') });

  check(outside.length === 0, 'no request left the machine', outside);
  check(consoleErrors.filter((e) => !/status of 4\d\d/.test(e)).length === 0, 'no script errors', consoleErrors);
} catch (e) {
  failed += 1;
  console.log('  FAIL ' + (e && e.stack ? e.stack : e));
  await page.screenshot({ path: join(artifacts, 'serve-failure.png') }).catch(() => {});
} finally {
  clearInterval(timer);
  await context.close().catch(() => {});
  server.kill('SIGINT');
  rmSync(profile, { recursive: true, force: true });
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
