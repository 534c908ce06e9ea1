// An independent Runtime API: @vercel/fun spawns the packaged bootstrap and invokes it with the
// fixtures. Its quirks (aws.md §4.5): runtime name `provided`, Lambda-Runtime-Deadline-Ms is the
// constant 5000, no trace id, SIGSTOP between invocations. SKILL_ENV=test selects
// config/test.json (sqlite ":memory:", client parley-test), so these are the real replies.
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createFunction } = require('@vercel/fun');

const source = path.resolve(process.argv[2]);
const zip = path.join(source, 'dist', 'skill-lambda.zip');
if (!fs.existsSync(zip)) {
  console.log(`skipped: no ${zip}; run make package`);
  process.exit(77);
}
const fixture = (name) => fs.readFileSync(path.join(source, 'tests', 'fixtures', name), 'utf8');

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-fun-'));
  execFileSync('unzip', ['-q', zip, '-d', dir]);
  const fn = await createFunction({ Code: { Directory: dir }, Handler: 'skill', Runtime: 'provided',
    MemorySize: 256, Region: 'us-east-1', Environment: { Variables: { SKILL_ENV: 'test' } } });
  const invoke = async (payload) => {
    const result = await fn.invoke({ InvocationType: 'RequestResponse', Payload: payload });
    return { error: result.FunctionError, body: JSON.parse(String(result.Payload)) };
  };
  try {
    const unlinked = await invoke(fixture('lambda/alexa-launch-event.json'));
    assert.equal(unlinked.error, undefined);
    assert.equal(unlinked.body.response.card.type, 'LinkAccount');
    assert.match(unlinked.body.response.outputSpeech.ssml,
      /^<speak>Hello! It seems you have not gone through the account linking process\./);

    const signin = JSON.parse(fixture('lambda/apigw-v1-get-root.json'));
    signin.queryStringParameters = { response_type: 'token', client_id: 'parley-test',
      redirect_uri: 'https://pitangui.amazon.com/api/skill/link/MTESTVENDOR01', state: 's' };
    signin.multiValueQueryStringParameters = Object.fromEntries(
      Object.entries(signin.queryStringParameters).map(([name, value]) => [name, [value]]));
    const page = await invoke(JSON.stringify(signin));
    assert.equal(page.body.statusCode, 200);
    const contentType = (reply) => Object.entries(reply.body.headers)
      .find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    assert.equal(contentType(page), 'text/html; charset=utf-8');
    assert.match(page.body.body, /<form/);
    assert.match(page.body.body, /Parley Test/);

    // A base64 form without the CSRF token: the error page.
    const login = JSON.parse(fixture('lambda/apigw-v2-post-form.json'));
    login.rawPath = '/authorize/login';
    login.requestContext.http.path = '/authorize/login';
    const form = await invoke(JSON.stringify(login));
    assert.equal(form.error, undefined);
    assert.ok(form.body.statusCode >= 400 && form.body.statusCode < 500, String(form.body.statusCode));
    assert.equal(contentType(form), 'text/html; charset=utf-8');

    // From nothing to a linked user: the sign-in page over the function URL, an account
    // created through the form (HTTP API, base64 body), then the launch with Alexa's token.
    const authorize = JSON.parse(fixture('lambda/lambda-url-get-root.json'));
    authorize.queryStringParameters = signin.queryStringParameters;
    authorize.rawQueryString = new URLSearchParams(signin.queryStringParameters).toString();
    const signinPage = await invoke(JSON.stringify(authorize));
    assert.equal(signinPage.body.statusCode, 200);
    const hidden = (name) => signinPage.body.body.match(new RegExp(`name="${name}" value="([^"]*)"`))[1];
    const signupForm = new URLSearchParams({ request: hidden('request'), csrf: hidden('csrf'),
      email: 'grace@example.com', password: 'correct horse battery staple' }).toString();
    const signup = JSON.parse(fixture('lambda/apigw-v2-post-form.json'));
    signup.rawPath = '/authorize/signup';
    signup.requestContext.http.path = '/authorize/signup';
    signup.headers['content-length'] = String(signupForm.length);
    signup.cookies = signinPage.body.cookies.map((cookie) => cookie.split(';')[0]);
    signup.body = Buffer.from(signupForm).toString('base64');
    // An iPhone's browser (the fixture's) gets the success page, which follows the link itself.
    const success = await invoke(JSON.stringify(signup));
    assert.equal(success.body.statusCode, 200, JSON.stringify(success.body));
    const location = success.body.body.match(/http-equiv="refresh" content="0;url=([^"]*)"/)[1]
      .replaceAll('&amp;', '&');
    assert.match(location, /^https:\/\/pitangui\.amazon\.com\/api\/skill\/link\/MTESTVENDOR01#/);
    const token = new URLSearchParams(location.split('#')[1]).get('access_token');
    assert.ok(token && token.length >= 32, location);
    const launch = JSON.parse(fixture('lambda/alexa-launch-event-linked.json'));
    launch.session.user.accessToken = token;
    launch.context.System.user.accessToken = token;
    const linked = await invoke(JSON.stringify(launch));
    assert.equal(linked.error, undefined);
    assert.equal(linked.body.response.outputSpeech.ssml,
      '<speak>Welcome grace@example.com! You are authenticated.</speak>');

    const broken = JSON.parse(fixture('lambda/alexa-launch-event.json'));
    delete broken.version;
    const failed = await invoke(JSON.stringify(broken));
    assert.equal(failed.error, 'Handled');
    assert.equal(failed.body.errorType, 'Handler.Exception');
    assert.equal(failed.body.errorMessage, 'request body is not an Alexa request envelope');

    const unknown = await invoke('{"Records":[]}');
    assert.equal(unknown.error, 'Handled');
    assert.equal(unknown.body.errorType, 'Runtime.UnknownEvent');

    const malformed = await invoke('[1, 2]');
    assert.equal(malformed.error, 'Handled');
    assert.equal(malformed.body.errorType, 'Runtime.MalformedEvent');

    // The same process goes on after the failures.
    const health = JSON.parse(fixture('lambda/lambda-url-get-root.json'));
    health.rawPath = '/healthz';
    health.rawQueryString = '';
    health.requestContext.http.path = '/healthz';
    const again = await invoke(JSON.stringify(health));
    assert.equal(again.error, undefined);
    assert.equal(again.body.statusCode, 200);
    assert.equal(again.body.body, '{"status":"ok"}');
  } finally {
    await fn.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('@vercel/fun: 10 invocations checked');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
