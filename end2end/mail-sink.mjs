// An SMTP sink on loopback for the end-to-end tests: speaks just enough SMTP for the portal's
// sender and writes each received message to a file in the directory given as argument.
// Usage: node mail-sink.mjs PORT DIR
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [port, dir] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
let count = 0;

createServer((socket) => {
  let buffer = '';
  let inData = false;
  let data = [];
  socket.write('220 sink ESMTP\r\n');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let i;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (inData) {
        if (line === '.') {
          inData = false;
          count += 1;
          writeFileSync(join(dir, `${Date.now()}-${count}.eml`), data.join('\n'));
          data = [];
          socket.write('250 2.0.0 queued\r\n');
        } else {
          data.push(line);
        }
        continue;
      }
      const verb = line.split(' ')[0].toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') socket.write('250-sink\r\n250 8BITMIME\r\n');
      else if (verb === 'MAIL' || verb === 'RCPT') socket.write('250 2.1.0 OK\r\n');
      else if (verb === 'DATA') {
        inData = true;
        socket.write('354 go ahead\r\n');
      } else if (verb === 'QUIT') {
        socket.write('221 bye\r\n');
        socket.end();
      } else socket.write('500 unknown\r\n');
    }
  });
  socket.on('error', () => {});
}).listen(Number(port), '127.0.0.1');
