// Sends events to a Headroom server with a real client library, as a product
// would. Used by tests/server/clients_test.cc.
//   node send.js segment|rudder URL WRITE_KEY PREFIX
// Per PREFIX it sends, in order:
//   * 1,000 "Test Event" tracks with context.groupId: for i in 0..999,
//     i % 10 in 0..3 -> PREFIX_a (400), 4..6 -> PREFIX_b (300), 7..8 -> PREFIX_c (200),
//     9 -> PREFIX_d (100);
//   * a group call linking user PREFIX_g to PREFIX_grp, then 50 tracks by that
//     user without context.groupId (attributed through the group call).
// Batches of 100 (flushAt / maxEventsInBatch). Exits 0 once everything is flushed.
'use strict';
const [kind, url, writeKey, prefix] = process.argv.slice(2);
const ACCOUNTS = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'd'];

function sleep(ms) { return new Promise((r) => setTimeout(r, ms)); }

async function main() {
  let client;
  let send;
  let done;
  if (kind === 'segment') {
    const { Analytics } = require('@segment/analytics-node');
    client = new Analytics({ writeKey, host: url, maxEventsInBatch: 100, flushInterval: 100 });
    let errors = 0;
    client.on('error', (e) => { errors++; console.error('segment error', e && e.code); });
    send = (type, msg) => client[type](msg);
    done = async () => { await client.closeAndFlush({ timeout: 60000 }); if (errors) process.exit(3); };
  } else {
    const Analytics = require('@rudderstack/rudder-sdk-node');
    client = new Analytics(writeKey, { dataPlaneUrl: url, flushAt: 100, flushInterval: 100, logLevel: 'error' });
    send = (type, msg) => client[type](msg);
    done = () => new Promise((resolve, reject) => client.flush((err) => (err ? reject(err) : resolve())));
  }
  for (let i = 0; i < 1000; i++) {
    send('track', {
      userId: `${prefix}_u${i % 7}`,
      event: 'Test Event',
      properties: { i },
      context: { groupId: `${prefix}_${ACCOUNTS[i % 10]}` },
    });
    if (i % 100 === 99) await sleep(5);
  }
  send('group', { userId: `${prefix}_g`, groupId: `${prefix}_grp`, traits: { name: 'Group Co' } });
  await sleep(50);
  for (let i = 0; i < 50; i++) send('track', { userId: `${prefix}_g`, event: 'Test Event' });
  await done();
  if (kind === 'rudder') {
    // Rudder's flush callback fires per batch; wait until its queue is empty.
    for (let k = 0; k < 200 && client.queue && client.queue.length > 0; k++) {
      await sleep(50);
      await done();
    }
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(2); });
