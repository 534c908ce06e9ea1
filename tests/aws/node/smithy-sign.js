// Signs one request with @smithy/signature-v4 (the AWS SDK's signer) and prints the headers it
// added, so the C++ signer can be compared against an independent implementation.
// Usage: node smithy-sign.js <input.json>
//   input: {method, hostname, path, headers, body, region, service, time (ISO-8601),
//           credentials: {accessKeyId, secretAccessKey, sessionToken}}
const fs = require('fs');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');
const { HttpRequest } = require('@smithy/protocol-http');

(async () => {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const signer = new SignatureV4({
    credentials: input.credentials, region: input.region, service: input.service,
    sha256: Sha256, applyChecksum: false,
  });
  const request = new HttpRequest({
    method: input.method, protocol: 'https:', hostname: input.hostname, path: input.path,
    headers: input.headers, body: input.body,
  });
  const signed = await signer.sign(request, { signingDate: new Date(input.time) });
  process.stdout.write(JSON.stringify(signed.headers) + '\n');
})().catch((error) => { console.error(error); process.exit(1); });
