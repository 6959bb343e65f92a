// @ts-check
/**
 * pglite-socket serves many client connections from one PGlite backend through a queue of protocol messages. Out of a
 * transaction it takes the next message from whichever connection sent one, so one connection's Parse/Bind/Execute
 * can interleave with another's and bind to the wrong unnamed statement ("bind message supplies 3 parameters, but
 * prepared statement "" requires 2") — which happens as soon as a job worker polls while requests run.
 *
 * This keeps a connection's turn for a whole extended-protocol cycle (up to its Sync) as well as for a whole
 * transaction. Plain CommonJS, loaded from the source tree by the portal and by the test database server alike.
 */
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q' (simple query: a cycle of its own)
const TERMINATE = 0x58; // 'X'

/** @param {any} server a PGLiteSocketServer before start() */
function serializeProtocolCycles(server) {
  const q = server.queryQueue;
  if (!q || q.__cycleSafe) return server;
  q.__cycleSafe = true;
  q.midCycle = false;
  q.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let item;
        const sticky = this.lastHandlerId !== null && (this.midCycle || this.db.isInTransaction());
        if (sticky) {
          const i = this.queue.findIndex((x) => x.handlerId === this.lastHandlerId);
          item = i === -1 ? null : this.queue.splice(i, 1)[0];
        } else item = this.queue.shift();
        if (!item) break; // the connection holding the turn has not sent its next message yet
        let bytes = 0;
        try {
          await this.db.runExclusive(async () => this.db.execProtocolRawStream(item.message, { onRawData: (d) => { bytes += d.length; item.onData(d); } }));
        } catch (err) {
          item.reject(err);
          this.midCycle = false;
          continue;
        }
        const type = item.message[0];
        // a startup message (first byte 0, a length) ends nothing the others wait for
        this.midCycle = !(type === SYNC || type === QUERY || type === TERMINATE || type === 0);
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = function clearQueueForHandler(id) {
    if (this.lastHandlerId === id) this.midCycle = false; // a connection that went away gives up its turn
    clear(id);
    setImmediate(() => this.processQueue());
  };
  return server;
}

module.exports = { serializeProtocolCycles };
