// Preloaded (node -r) into the OpenAPI export by openapi-fresh.spec.ts: any attempt to open a
// network connection fails the run, so the document provably builds offline.
import net from 'node:net';

const attempts: string[] = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  attempts.push(JSON.stringify(args[0]));
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
};
process.on('exit', () => {
  if (attempts.length === 0) return;
  process.stderr.write(`the OpenAPI export tried to connect: ${attempts.join(', ')}\n`);
  process.exitCode = 1;
});
