// A throwaway embedded PostgreSQL for the test run: in-memory PGlite served over the wire protocol.
// Plain node (not inside jest), because PGlite in jest's VM needs --experimental-vm-modules.
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');
const { serializeProtocolCycles } = require('../../src/core/database/pglite-protocol-queue.cjs');

(async () => {
  const db = await PGlite.create();
  const server = serializeProtocolCycles(new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 }));
  await server.start();
  process.stdout.write(`READY postgres://postgres@${server.getServerConn()}/postgres\n`);
  const stop = async () => { await server.stop(); await db.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
})().catch((e) => { console.error(e); process.exit(1); });
