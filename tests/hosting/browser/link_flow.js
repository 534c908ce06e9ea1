// Account linking in a real browser: playwright-core drives Debian's chromium through the pages
// of a real `skill serve` as a user would (sign-in page with what is linked → sign up → redirect
// to Alexa), for the code grant with PKCE and for the implicit grant. The Alexa redirect URL is
// answered inside the browser (nothing leaves the machine); the test then plays Alexa: code
// exchange with HTTP Basic, refresh, POST /skill with the token, AlexaSkillEvent.SkillAccountLinked
// and a SkillDisabled without a token.
// Screenshots of every page go to $PARLEY_SCREENSHOTS when set.
//
// Usage: node link_flow.js <source dir> <skill binary>
'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const [source, skill] = process.argv.slice(2).map((arg) => path.resolve(arg));
const shots = process.env.PARLEY_SCREENSHOTS ? path.resolve(process.env.PARLEY_SCREENSHOTS) : '';
const WAIT_MS = 10_000; // every single wait
const TOTAL_MS = 60_000; // the whole run, ASan build included
const ALEXA = 'https://pitangui.amazon.com/api/skill/link/MTESTVENDOR01';
const CLIENT = { id: 'parley-browser', secret: 'browser-test-secret-0123456789abcdefghijklmnop',
  name: 'Parley Recipes' };
const DESKTOP = { viewport: { width: 1280, height: 860 },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156 Safari/537.36' };
// The original kit's device split (spec R82): Android gets the redirect, others a success page.
const ANDROID = { viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156 Mobile Safari/537.36' };
const secrets = [CLIENT.secret]; // every value that must never reach the server log

const step = (text) => console.log(`- ${text}`);
const base64url = (bytes) => Buffer.from(bytes).toString('base64url');

// `skill serve --port 0` on a fresh SQLite file; resolves once it prints its address.
async function startServer(dir) {
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({
    server: { host: '127.0.0.1', port: 0, www: path.join(source, 'www'), idleTimeoutSeconds: 5 },
    storage: { type: 'sqlite', path: path.join(dir, 'parley.db') },
    skill: { views: path.join(source, 'app/views'), seed: 1, verifySignatures: false },
    linking: { mode: 'accounts', successPage: true, clients: [{ ...CLIENT,
      responseTypes: ['code', 'token'], redirectUris: [ALEXA,
        'https://layla.amazon.com/api/skill/link/MTESTVENDOR01',
        'https://alexa.amazon.co.jp/api/skill/link/MTESTVENDOR01'] }] },
    log: { level: 'info' },
  }));
  const child = spawn(skill, ['serve', '--port', '0', '--config', config],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  process.once('exit', () => child.kill('SIGKILL')); // also when the run times out
  let log = '';
  child.stderr.setEncoding('utf8');
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`skill serve did not start:\n${log}`)), WAIT_MS);
    child.stderr.on('data', (text) => {
      log += text;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.once('exit', (code) => reject(new Error(`skill serve exited with ${code}:\n${log}`)));
  });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(child.exitCode); return; }
    const timer = setTimeout(() => child.kill('SIGKILL'), WAIT_MS);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    child.kill('SIGTERM');
  });
  return { origin, stop, log: () => log, child };
}

// A browser context whose requests never leave the machine: the server is reached, Alexa's
// redirect URL is answered with a stub page (or, with `stayOnPage`, cancelled so that the page
// that led there can still be looked at), anything else is refused.
async function newContext(browser, origin, device) {
  const context = await browser.newContext({ ...device, locale: 'en-US' });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  const state = { stayOnPage: false, alexaRequests: 0, refused: [] };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    if (url.startsWith(ALEXA)) {
      state.alexaRequests += 1;
      if (state.stayOnPage) return route.abort('aborted');
      return route.fulfill({ status: 200, contentType: 'text/html',
        body: '<!DOCTYPE html><title>Alexa</title><p>Account linked</p>' });
    }
    state.refused.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  return { context, page, state };
}

async function screenshot(page, name) {
  if (!shots) return;
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true, timeout: WAIT_MS });
}

function authorizeUrl(origin, params) {
  const url = new URL('/authorize', origin);
  for (const [name, value] of Object.entries({ client_id: CLIENT.id, redirect_uri: ALEXA, ...params })) {
    url.searchParams.set(name, value);
  }
  return url.href;
}

// The headers of spec R50/R51 on a page the browser loaded.
function assertPageHeaders(response) {
  const headers = response.headers();
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.match(headers['content-security-policy'], /default-src 'none'/);
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  assert.equal(headers['cache-control'], 'no-store');
}

// R83: usable at 320 px without horizontal scrolling.
async function assertNoHorizontalScroll(page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px viewport`);
}

const signUpForm = (page) => page.locator('form', { has: page.getByRole('button', { name: 'Create account and link' }) });
const signInForm = (page) => page.locator('form', { has: page.getByRole('button', { name: 'Sign in and link' }) });

async function signUp(page, email, password) {
  const form = signUpForm(page);
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Create account and link' }).click();
}

async function waitForAlexa(page) {
  await page.waitForURL((url) => url.href.startsWith(ALEXA), { timeout: WAIT_MS });
  return new URL(page.url());
}

function alexaClient(origin) {
  const basic = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
  const token = async (fields) => {
    const response = await fetch(`${origin}/oauth/token`, { method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields), signal: AbortSignal.timeout(WAIT_MS) });
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    return { status: response.status, body: await response.json() };
  };
  const fixture = (name) => JSON.parse(fs.readFileSync(path.join(source, 'tests/fixtures/alexa', name), 'utf8'));
  const withToken = (envelope, accessToken) => {
    envelope.context.System.user.accessToken = accessToken;
    if (envelope.session) envelope.session.user.accessToken = accessToken;
    return envelope;
  };
  const skillRequest = async (envelope) => {
    const response = await fetch(`${origin}/skill`, { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(envelope),
      signal: AbortSignal.timeout(WAIT_MS) });
    assert.equal(response.status, 200);
    return response.json();
  };
  return {
    token,
    launch: async (accessToken) => skillRequest(withToken(fixture('launch-linked.json'), accessToken)),
    accountLinked: async (accessToken) => {
      const envelope = withToken(fixture('skill-event-account-linked.json'), accessToken);
      envelope.request.body.accessToken = accessToken;
      return skillRequest(envelope);
    },
    // Whether SkillDisabled still carries the token is unknown (spec U-11): without one, the link
    // recorded at SkillAccountLinked names the grants.
    disableSkill: async () => {
      const envelope = fixture('skill-event-skill-disabled.json');
      delete envelope.context.System.user.accessToken;
      return skillRequest(envelope);
    },
  };
}

const speech = (reply) => reply.response.outputSpeech?.ssml;
const welcome = (email) => `<speak>Welcome ${email}! You are authenticated.</speak>`;

// Code grant with PKCE S256 on a desktop browser: a wrong password first (the error shows on the
// page), then a new account; the success page follows the link to Alexa by itself.
async function codeGrant(browser, origin, alexa) {
  const { context, page, state } = await newContext(browser, origin, DESKTOP);
  const verifier = base64url(crypto.randomBytes(32));
  const challenge = base64url(crypto.createHash('sha256').update(verifier).digest());
  const sentState = 'amzn1 st&te=#1 %2B+ ok'; // T29: must come back byte-identical
  const email = 'ada@example.com';
  const password = 'correct horse battery staple';
  secrets.push(verifier, password);

  step('code grant: the sign-in page shows what is linked');
  const shown = await page.goto(authorizeUrl(origin, { response_type: 'code', state: sentState,
    code_challenge: challenge, code_challenge_method: 'S256' }));
  assert.equal(shown.status(), 200);
  assertPageHeaders(shown);
  assert.match(shown.headers()['content-security-policy'], /form-action 'self' https:\/\/pitangui\.amazon\.com/);
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await page.locator('main').innerText(), new RegExp(CLIENT.name));
  await screenshot(page, 'signin-desktop');

  step('code grant: a wrong password is reported on the page');
  const signIn = signInForm(page);
  await signIn.getByLabel('E-mail').fill(email);
  await signIn.getByLabel('Password').fill('not the password');
  await signIn.getByRole('button', { name: 'Sign in and link' }).click();
  const alert = signInForm(page).getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /E-mail or password is incorrect\./);
  assert.equal(await page.getByRole('alert').count(), 1);
  assert.equal(await signInForm(page).getByLabel('E-mail').inputValue(), email);
  await screenshot(page, 'signin-error-desktop');

  step('code grant: sign up and link; the success page leads to Alexa by itself');
  state.stayOnPage = true;
  const [request] = await Promise.all([
    page.waitForRequest((sent) => sent.url().startsWith(ALEXA), { timeout: WAIT_MS }),
    signUp(page, email, password)]);
  assert.match(await page.locator('main').innerText(), /You're all set/);
  await screenshot(page, 'success-desktop');
  const redirect = new URL(request.url());
  assert.equal(state.alexaRequests, 1);
  assert.equal(redirect.searchParams.get('state'), sentState);
  const code = redirect.searchParams.get('code');
  assert.match(code, /^ac_[A-Za-z0-9_-]{43}$/);
  assert.equal(redirect.hash, '');
  secrets.push(code);
  assert.deepEqual(state.refused, []);
  await context.close();

  step('code grant: Alexa redeems the code with HTTP Basic and the PKCE verifier');
  const issued = await alexa.token({ grant_type: 'authorization_code', code, redirect_uri: ALEXA,
    code_verifier: verifier });
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  assert.equal(issued.body.token_type, 'Bearer');
  assert.ok(Number.isInteger(issued.body.expires_in) && issued.body.expires_in >= 360);
  assert.match(issued.body.access_token, /^at_[A-Za-z0-9_-]{43}$/);
  assert.match(issued.body.refresh_token, /^rt_[A-Za-z0-9_-]{43}$/);
  secrets.push(issued.body.access_token, issued.body.refresh_token);

  step('code grant: refresh, then the skill greets the user with either access token');
  const refreshed = await alexa.token({ grant_type: 'refresh_token',
    refresh_token: issued.body.refresh_token });
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  assert.notEqual(refreshed.body.access_token, issued.body.access_token);
  assert.equal(refreshed.body.refresh_token, issued.body.refresh_token); // stable mode (R37)
  secrets.push(refreshed.body.access_token);
  assert.equal(speech(await alexa.launch(refreshed.body.access_token)), welcome(email));
  assert.equal(speech(await alexa.launch(issued.body.access_token)), welcome(email)); // R39
  return { email, refresh_token: issued.body.refresh_token, access_token: refreshed.body.access_token };
}

// Implicit grant on an Android phone: sign up, a direct 303 to Alexa with the token in the fragment.
async function implicitGrant(browser, origin, alexa) {
  const { context, page, state } = await newContext(browser, origin, ANDROID);
  const sentState = 'implicit state & more';
  const email = 'grace@example.com';
  const password = 'another long passphrase';
  secrets.push(password);

  step('implicit grant: the sign-in page fits a phone');
  const shown = await page.goto(authorizeUrl(origin, { response_type: 'token', state: sentState }));
  assert.equal(shown.status(), 200);
  assertPageHeaders(shown);
  await screenshot(page, 'signin-mobile');
  await page.setViewportSize({ width: 320, height: 640 });
  await assertNoHorizontalScroll(page);
  await page.setViewportSize(ANDROID.viewport);

  step('implicit grant: an invalid e-mail is reported on the page');
  const form = signUpForm(page);
  await form.getByLabel('E-mail').fill('grace@');
  await form.getByLabel('Password').fill(password);
  // The browser's own check would stop the form; the server's message is what is tested here.
  await form.evaluate((element) => { element.noValidate = true; });
  await form.getByRole('button', { name: 'Create account and link' }).click();
  // The message shows in the form that was sent, which keeps the e-mail.
  const alert = signUpForm(page).getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Enter a valid e-mail address\./);
  assert.equal(await signUpForm(page).getByLabel('E-mail').inputValue(), 'grace@');
  assert.equal(await signInForm(page).getByLabel('E-mail').inputValue(), '');
  await screenshot(page, 'signup-error-mobile');

  step('implicit grant: sign up and link; Android is redirected at once');
  await signUp(page, email, password);
  const redirect = await waitForAlexa(page);
  assert.equal(redirect.search, '');
  const fragment = new URLSearchParams(redirect.hash.slice(1));
  assert.equal(fragment.get('state'), sentState);
  assert.equal(fragment.get('token_type'), 'Bearer');
  assert.equal(fragment.get('refresh_token'), null); // R18
  assert.equal(fragment.get('expires_in'), null); // implicit TTL 0 (R19)
  const accessToken = fragment.get('access_token');
  assert.match(accessToken, /^at_[A-Za-z0-9_-]{43}$/);
  secrets.push(accessToken);

  step('implicit grant: the error page for a broken link');
  const broken = await page.goto(authorizeUrl(origin, { response_type: 'token', state: 's',
    client_id: 'unknown-client' }));
  assert.equal(broken.status(), 400);
  assertPageHeaders(broken);
  assert.match(await page.getByRole('alert').innerText(), /This sign-in link is invalid/);
  await screenshot(page, 'error-mobile');
  assert.deepEqual(state.refused, []);
  await context.close();

  step('implicit grant: the skill greets the user with the token');
  assert.equal(speech(await alexa.launch(accessToken)), welcome(email));
  return { email, access_token: accessToken };
}

// Cancel and the error page on a desktop browser.
async function cancelAndErrors(browser, origin) {
  const { context, page, state } = await newContext(browser, origin, DESKTOP);
  step('cancel: access_denied goes back to Alexa with the state');
  await page.goto(authorizeUrl(origin, { response_type: 'code', state: 'cancel-me' }));
  await page.getByRole('button', { name: 'Cancel' }).click();
  const redirect = await waitForAlexa(page);
  assert.equal(redirect.searchParams.get('error'), 'access_denied');
  assert.equal(redirect.searchParams.get('state'), 'cancel-me');

  step('error page: a redirect_uri that is not registered is never followed');
  const evil = await page.goto(authorizeUrl(origin, { response_type: 'code', state: 's',
    redirect_uri: 'https://evil.example/cb' }));
  assert.equal(evil.status(), 400);
  assertPageHeaders(evil);
  assert.doesNotMatch(await page.content(), /evil\.example/);
  await screenshot(page, 'error-desktop');
  assert.deepEqual(state.refused, []);
  await context.close();
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-browser-'));
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const server = await startServer(dir);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
      timeout: WAIT_MS, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const alexa = alexaClient(server.origin);
    const linked = await codeGrant(browser, server.origin, alexa);
    const implicit = await implicitGrant(browser, server.origin, alexa);
    await cancelAndErrors(browser, server.origin);

    step('SkillAccountLinked, then SkillDisabled without a token: the recorded link is revoked');
    assert.deepEqual((await alexa.accountLinked(linked.access_token)).response, {});
    assert.deepEqual((await alexa.disableSkill()).response, {});
    const refused = await alexa.token({ grant_type: 'refresh_token', refresh_token: linked.refresh_token });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_grant');
    const unlinked = await alexa.launch(linked.access_token);
    assert.equal(unlinked.response.card?.type, 'LinkAccount');
    assert.equal(speech(await alexa.launch(implicit.access_token)), welcome(implicit.email));
  } catch (error) {
    console.error(`server log:\n${server.log()}`);
    throw error;
  } finally {
    if (browser) await browser.close();
    const code = await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, `skill serve exited with ${code}:\n${server.log()}`);
  }
  step('the server log holds no token, code, verifier, password or secret (T94)');
  for (const secret of secrets) assert.ok(!server.log().includes(secret), 'a secret reached the log');
  if (shots) console.log(`screenshots in ${shots}`);
  console.log('passed');
}

setTimeout(() => { console.error(`timed out after ${TOTAL_MS / 1000} s`); process.exit(1); }, TOTAL_MS).unref();
main().catch((error) => { console.error(error); process.exit(1); });
