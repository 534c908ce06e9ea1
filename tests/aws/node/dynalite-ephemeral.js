// A local DynamoDB for tests: dynalite on 127.0.0.1 with an ephemeral port, printed on stdout.
// Stops on SIGTERM/SIGINT or when stdin closes (so it dies with the test that started it).
const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\n'));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
