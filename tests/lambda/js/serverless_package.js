// `serverless package` (v3) on deploy/serverless.yml, offline and without AWS credentials, then
// assertions on the generated CloudFormation: handler, runtime, Alexa trigger, HTTP API routes,
// tables with TTL, IAM limited to those tables. Also shows configValidationMode rejects typos.
'use strict';
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const source = path.resolve(process.argv[2]);
const serverless = path.join(__dirname, 'node_modules', '.bin', 'serverless');
const skillId = 'amzn1.ask.skill.8f3c2e71-6a4b-4c1d-b2e9-5d7a0c9f1e36';
const clientSecret = 'test-client-secret-0123456789abcdef0123';
const tokenPepper = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
// An empty zip (end-of-central-directory record only) when `make package` has not run.
const emptyZip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);

function packageService(descriptor, stage) {
  // The repository's layout: the descriptor in deploy/, the artifact in dist/.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sls-'));
  fs.mkdirSync(path.join(dir, 'deploy'));
  fs.writeFileSync(path.join(dir, 'deploy', 'serverless.yml'), descriptor);
  fs.mkdirSync(path.join(dir, 'dist'));
  const zip = path.join(source, 'dist', 'skill-lambda.zip');
  fs.writeFileSync(path.join(dir, 'dist', 'skill-lambda.zip'),
    fs.existsSync(zip) ? fs.readFileSync(zip) : emptyZip);
  fs.mkdirSync(path.join(dir, 'home'));
  // Only PATH and a fresh HOME: no AWS credentials, profiles or region from the developer.
  const env = { PATH: process.env.PATH, HOME: path.join(dir, 'home'), PARLEY_SKILL_ID: skillId,
    PARLEY_CLIENT_SECRET: clientSecret, PARLEY_TOKEN_PEPPER: tokenPepper,
    SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' };
  const run = spawnSync(serverless, ['package', '--stage', stage], { cwd: path.join(dir, 'deploy'), env, encoding: 'utf8',
    timeout: 180000 });
  return { dir, run };
}

const descriptor = fs.readFileSync(path.join(source, 'deploy', 'serverless.yml'), 'utf8');
const { dir, run } = packageService(descriptor, 'prod');
assert.equal(run.status, 0, `serverless package failed:\n${run.stdout}\n${run.stderr}`);
const template = JSON.parse(fs.readFileSync(
  path.join(dir, 'deploy', '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'));
const resources = Object.entries(template.Resources);
const ofType = (type) => resources.filter(([, r]) => r.Type === type);

// One function: the static bootstrap on AL2023, x86_64, stage-specific environment.
const functions = ofType('AWS::Lambda::Function');
assert.equal(functions.length, 1);
const [functionId, fn] = functions[0];
assert.equal(fn.Properties.Handler, 'skill');
assert.equal(fn.Properties.Runtime, 'provided.al2023');
assert.deepEqual(fn.Properties.Architectures, ['x86_64']);
assert.match(fn.Properties.Code.S3Key, /skill-lambda\.zip$/);
const vars = fn.Properties.Environment.Variables;
assert.equal(vars.SKILL_ENV, 'production');
assert.equal(vars.PARLEY_STORAGE_TYPE, 'dynamodb');
assert.equal(vars.PARLEY_STORAGE_TABLE_PREFIX, 'parley-skill-prod-');
assert.equal(vars.PARLEY_STORAGE_CA_FILE, '/etc/pki/tls/certs/ca-bundle.crt');
assert.equal(vars.SSL_CERT_FILE, '/etc/pki/tls/certs/ca-bundle.crt');
assert.equal(vars.PARLEY_SKILL_APPLICATION_IDS, skillId);
// The config client `alexa` has no secret of its own (config/production.json).
assert.equal(vars.PARLEY_LINKING_CLIENT_ALEXA_SECRET, clientSecret);
// config/production.json requires the token pepper; it comes from the deployer's environment.
assert.equal(vars.PARLEY_TOKEN_PEPPER, tokenPepper);

// Alexa may invoke it for this skill only.
const alexa = ofType('AWS::Lambda::Permission').map(([, p]) => p.Properties)
  .filter((p) => p.Principal === 'alexa-appkit.amazon.com');
assert.equal(alexa.length, 1);
assert.equal(alexa[0].EventSourceToken, skillId);
assert.deepEqual(alexa[0].FunctionName, { 'Fn::GetAtt': [functionId, 'Arn'] });

// The pages and the OAuth endpoints on the HTTP API (payload 2.0).
const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey).sort();
assert.deepEqual(routes, ['GET /', 'GET /authorize', 'GET /healthz', 'GET /oauth/userinfo',
  'GET /static/{proxy+}', 'POST /authorize/{action}', 'POST /oauth/revoke', 'POST /oauth/token']);
const [[, integration]] = ofType('AWS::ApiGatewayV2::Integration');
assert.equal(integration.Properties.PayloadFormatVersion, '2.0');

// Tables: on-demand, TTL on `ttl`, named per stage, keyed as storage/dynamodb/tables.hpp says.
const tables = Object.fromEntries(ofType('AWS::DynamoDB::Table'));
const byName = Object.fromEntries(Object.values(tables).map((t) => [t.Properties.TableName, t.Properties]));
assert.deepEqual(Object.keys(byName).sort(), [
  'parley-skill-prod-access-tokens', 'parley-skill-prod-accounts', 'parley-skill-prod-alexa-users',
  'parley-skill-prod-authorization-codes', 'parley-skill-prod-authorization-requests',
  'parley-skill-prod-clients', 'parley-skill-prod-grants', 'parley-skill-prod-refresh-tokens',
  'parley-skill-prod-throttle', 'parley-skill-prod-users']);
for (const table of Object.values(tables)) {
  assert.equal(table.Properties.BillingMode, 'PAY_PER_REQUEST');
  assert.deepEqual(table.Properties.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
  assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: 'ttl', Enabled: true });
}
// The global secondary indexes the stores query, every key attribute defined.
const indexes = (name) => byName[`parley-skill-prod-${name}`].GlobalSecondaryIndexes;
const byUser = [{ IndexName: 'by-user',
  KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }];
assert.deepEqual(indexes('grants'), byUser);
assert.deepEqual(indexes('alexa-users'), byUser);
assert.deepEqual(indexes('refresh-tokens'), [{ IndexName: 'by-parent',
  KeySchema: [{ AttributeName: 'parentHash', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
  Projection: { ProjectionType: 'ALL' } }]);
for (const table of Object.values(byName)) {
  const keys = [table.KeySchema, ...(table.GlobalSecondaryIndexes ?? []).map((i) => i.KeySchema)]
    .flat().map((k) => k.AttributeName);
  assert.deepEqual(table.AttributeDefinitions.map((d) => d.AttributeName).sort(), [...new Set(keys)].sort(),
    table.TableName);
  const types = Object.fromEntries(table.AttributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  assert.equal(types.id, 'S');
  if (types.createdAt) assert.equal(types.createdAt, 'N');
}

// IAM: DynamoDB item actions on exactly those tables and their indexes, never Scan.
const [[, role]] = ofType('AWS::IAM::Role');
const statements = role.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);
const dynamo = statements.filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
assert.equal(dynamo.length, 1);
assert.ok(dynamo[0].Action.every((a) => a.startsWith('dynamodb:')));
assert.ok(!dynamo[0].Action.includes('dynamodb:*') && !dynamo[0].Action.includes('dynamodb:Scan'));
// A table's ARN, or `<table ARN>/index/*` for its indexes.
const tableOf = (resource) => {
  const join = resource['Fn::Join'];
  if (join) {
    assert.equal(join[0], '/');
    assert.equal(join[1][1], 'index/*');
    return `${tableOf(join[1][0])}/index/*`;
  }
  assert.ok(resource['Fn::GetAtt']?.[1] === 'Arn', `unexpected resource ${JSON.stringify(resource)}`);
  return resource['Fn::GetAtt'][0];
};
const tableIds = Object.keys(tables);
const withIndexes = tableIds.filter((id) => tables[id].Properties.GlobalSecondaryIndexes)
  .map((id) => `${id}/index/*`);
assert.deepEqual(dynamo[0].Resource.map(tableOf).sort(), [...tableIds, ...withIndexes].sort());
for (const statement of statements.filter((s) => s !== dynamo[0])) {
  assert.ok(statement.Action.every((a) => a.startsWith('logs:')), JSON.stringify(statement));
}
fs.rmSync(dir, { recursive: true, force: true });

// configValidationMode: error turns a schema mistake into a failed command.
const typo = packageService(descriptor.replace('runtime: provided.al2023', 'runtime: provided.al2099'),
  'dev');
assert.notEqual(typo.run.status, 0, 'an invalid runtime was accepted');
assert.match(typo.run.stdout + typo.run.stderr, /provided\.al2099|runtime/i);
fs.rmSync(typo.dir, { recursive: true, force: true });
console.log(`serverless package: ${resources.length} resources checked`);
