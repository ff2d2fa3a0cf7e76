import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookSmsSender } from './sms';

describe('webhook SMS sender', () => {
  let server: http.Server;
  let url: string;
  const received: unknown[] = [];
  let status = 200;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('posts the phone, the code and a Chinese text to the gateway', async () => {
    await createWebhookSmsSender(url).sendCode('13800000001', '123456');
    expect(received.at(-1)).toEqual({ phone: '13800000001', code: '123456', text: expect.stringContaining('123456') });
  });

  it('fails when the gateway refuses, so the caller can tell the person', async () => {
    status = 503;
    await expect(createWebhookSmsSender(url).sendCode('13800000001', '123456')).rejects.toThrow('503');
  });
});
