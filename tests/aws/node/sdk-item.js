// Reads or writes one item with the official @aws-sdk/client-dynamodb, to cross-check what
// Parley's own client stores. Prints the raw AttributeValue item as JSON ("null" when absent).
// Usage: node sdk-item.js get <endpoint> <table> <key.json>
//        node sdk-item.js put <endpoint> <table> <item.json>
const fs = require('fs');
const { DynamoDBClient, GetItemCommand, PutItemCommand } = require('@aws-sdk/client-dynamodb');

(async () => {
  const [command, endpoint, table, file] = process.argv.slice(2);
  const db = new DynamoDBClient({
    endpoint, region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: 'token' },
  });
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (command === 'get') {
    const out = await db.send(new GetItemCommand({ TableName: table, Key: json, ConsistentRead: true }));
    process.stdout.write(JSON.stringify(out.Item ?? null) + '\n');
  } else if (command === 'put') {
    await db.send(new PutItemCommand({ TableName: table, Item: json }));
    process.stdout.write('null\n');
  } else {
    throw new Error('unknown command ' + command);
  }
})().catch((error) => { console.error(error.name + ': ' + error.message); process.exit(1); });
