import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ORIGIN = 'http://netdiagram.invalid';
export const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Runs the CLI in-process; returns exit code, stdout and stderr. */
export async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (text) => out.push(typeof text === 'string' ? text : Buffer.from(text).toString('latin1')),
    stderr: (text) => err.push(text),
    readStdin: async () => '',
    env: {},
    cwd: process.cwd(),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** `netdiagram diagram ARGS -o x.html`, the page's text. */
export async function renderHtmlFile(args: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'netdiagram-view-'));
  try {
    const file = join(dir, 'diagram.html');
    const r = await run(['diagram', ...args, '--no-commit', '-o', file]);
    if (r.code !== 0 || r.stderr !== '') throw new Error(`diagram exited ${r.code}: ${r.stderr}`);
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface OpenedPage {
  readonly page: Page;
  /** Console messages of any kind, page errors and dialogs (alert, confirm, prompt). */
  readonly problems: string[];
  /** Every request beyond the page itself (all aborted). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves the HTML at ORIGIN/diagram.html (plus `fragment`), aborting and recording any other request. */
export async function openHtml(browser: Browser, html: string, fragment = '', viewport = { width: 1400, height: 900 }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => problems.push(`console ${message.type()}: ${message.text()}`));
  // an alert() a hostile name managed to run: recorded from the first load on, and dismissed
  page.on('dialog', async (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.split('#')[0] === `${ORIGIN}/diagram.html`) {
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    } else {
      requests.push(url);
      await route.abort();
    }
  });
  await page.goto(`${ORIGIN}/diagram.html${fragment}`);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  return { page, problems, requests, close: () => context.close() };
}
