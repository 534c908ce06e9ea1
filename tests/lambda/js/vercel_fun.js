// An independent Runtime API: @vercel/fun spawns the packaged bootstrap and invokes it with the
// fixtures. Its quirks (aws.md §4.5): runtime name `provided`, Lambda-Runtime-Deadline-Ms is the
// constant 5000, no trace id, SIGSTOP between invocations.
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
    MemorySize: 256, Region: 'us-east-1', Environment: { Variables: {} } });
  const invoke = async (payload) => {
    const result = await fn.invoke({ InvocationType: 'RequestResponse', Payload: payload });
    return { error: result.FunctionError, body: JSON.parse(String(result.Payload)) };
  };
  try {
    const unlinked = await invoke(fixture('lambda/alexa-launch-event.json'));
    assert.equal(unlinked.error, undefined);
    assert.equal(unlinked.body.response.card.type, 'LinkAccount');

    const linked = await invoke(fixture('lambda/alexa-launch-event-linked.json'));
    assert.equal(linked.body.response.outputSpeech.text, 'Welcome back! Your account is linked.');

    const page = await invoke(fixture('lambda/apigw-v1-get-root.json'));
    assert.equal(page.body.statusCode, 200);
    assert.equal(page.body.headers['Content-Type'], 'text/html; charset=utf-8');
    assert.match(page.body.body, /<form method=post/);

    const form = await invoke(fixture('lambda/apigw-v2-post-form.json'));
    assert.equal(form.body.statusCode, 200);
    assert.equal(form.body.body,
      'form fields: email,password,state,client_id,response_type,redirect_uri,scope');

    const broken = JSON.parse(fixture('lambda/alexa-launch-event.json'));
    delete broken.context.System.user;
    const failed = await invoke(JSON.stringify(broken));
    assert.equal(failed.error, 'Handled');
    assert.equal(failed.body.errorType, 'Handler.Exception');

    const unknown = await invoke('{"Records":[]}');
    assert.equal(unknown.error, 'Handled');
    assert.equal(unknown.body.errorType, 'Runtime.UnknownEvent');

    // The same process goes on after the failures.
    const again = await invoke(fixture('lambda/lambda-url-get-root.json'));
    assert.equal(again.error, undefined);
    assert.equal(again.body.statusCode, 200);
  } finally {
    await fn.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('@vercel/fun: 7 invocations checked');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
