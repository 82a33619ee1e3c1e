// A local webhook receiver for the demo: it verifies every delivery with the public
// `standardwebhooks` library, as a subscriber would, and keeps what arrived.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

export async function startWebhookReceiver() {
  const received = []; // { id, type, skuId, verified }
  let verifier = null;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let alert = null;
      try {
        alert = verifier?.verify(body, req.headers) ?? null;
      } catch {
        alert = null;
      }
      if (!alert) {
        res.writeHead(400).end();
        received.push({ id: req.headers['webhook-id'], verified: false });
        return;
      }
      received.push({ id: req.headers['webhook-id'], type: alert.type, skuId: alert.data?.skuId, data: alert.data, verified: true });
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks/tiersight`,
    received,
    /** The subscription's secret, known once the subscription exists. */
    trust(secret) {
      verifier = new Webhook(secret);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
