import { randomBytes } from 'node:crypto';
import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const summaryToken = process.env.SUMMARY_TOKEN ?? randomBytes(24).toString('hex');
const mode = process.env.MODE === 'enforce' ? 'enforce' : 'monitor';
const { app, security } = createApp({ summaryToken, security: { mode } });

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`Inference API (Koa) on http://127.0.0.1:${port} (mode: ${mode})`);
  console.log(
    `Summary: curl -H "Authorization: Bearer ${summaryToken}" http://127.0.0.1:${port}/security/summary`,
  );
});

function shutdown(): void {
  server.close(() => {
    void security.close().then(() => process.exit(0));
  });
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
