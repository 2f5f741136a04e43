'use strict';
// Fastify peer for bench/http/run: serves GET /version with the same JSON
// body as signald, the way one would deploy Fastify in production (logger off,
// one process per core through node:cluster when FASTIFY_WORKERS > 1).
//
// Environment:
//   PORT             port to listen on (127.0.0.1)                 required
//   BODY_FILE        file holding the exact JSON body to serve     required
//   FASTIFY_WORKERS  1 = single process; N > 1 = cluster of N      default 1
//   FASTIFY_SCHED    cluster scheduling: "rr" (node's default on Linux:
//                    the primary accepts and hands out connections) or
//                    "none" (every worker accepts on the shared socket)
//                    default "rr"

const fs = require('node:fs');
const cluster = require('node:cluster');

const port = Number(process.env.PORT);
const workers = Math.max(1, Number(process.env.FASTIFY_WORKERS || 1));
const sched = process.env.FASTIFY_SCHED || 'rr';

if (!port || !process.env.BODY_FILE) {
  console.error('server.js: PORT and BODY_FILE are required');
  process.exit(2);
}

if (workers > 1 && cluster.isPrimary) {
  cluster.schedulingPolicy = sched === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE;
  let listening = 0;
  let shuttingDown = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('listening', () => {
    if (++listening === workers) console.log(`fastify cluster x${workers} (${sched}) listening on ${port}`);
  });
  cluster.on('exit', (w, code, signal) => {
    if (!shuttingDown) {
      console.error(`worker ${w.process.pid} died (${signal || code}); stopping`);
      process.exit(1);
    }
  });
  const stop = () => {
    shuttingDown = true;
    for (const id in cluster.workers) cluster.workers[id].kill('SIGTERM');
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  // The body is parsed once and serialized by Fastify on every request, as a
  // handler returning an object would be: the idiomatic Fastify way. The run
  // script checks that the bytes on the wire equal signald's.
  const payload = JSON.parse(fs.readFileSync(process.env.BODY_FILE, 'utf8'));
  const app = require('fastify')({ logger: false });
  app.get('/version', async () => payload);
  app.listen({ port, host: '127.0.0.1' }).then(() => {
    if (workers === 1) console.log(`fastify single process listening on ${port}`);
  }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
  const stop = () => app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
