// The floor of a Node.js function's cold start, for comparison with the bootstrap: a bare
// Runtime API loop (no framework, no SDK, no storage) answering every event with a fixed Alexa
// reply. The original skill ran Voxa and the AWS SDK on top of this, so its cold start was higher.
'use strict';
const http = require('node:http');

const base = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation`;
const reply = JSON.stringify({ version: '1.0', response: { outputSpeech: { type: 'PlainText', text: 'Hello' } } });

function next() {
  http.get(`${base}/next`, (res) => {
    // Anything but an event means the Runtime API is done with this process (Lambda says: exit).
    if (res.statusCode !== 200) process.exit(1);
    const id = res.headers['lambda-runtime-aws-request-id'];
    res.resume();
    res.on('end', () => {
      const post = http.request(`${base}/${id}/response`, { method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply) } },
      (answer) => { answer.resume(); answer.on('end', next); });
      post.on('error', () => process.exit(1));
      post.end(reply);
    });
  }).on('error', () => process.exit(1));
}
next();
