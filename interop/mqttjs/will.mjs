// The will is published when the WebSocket dies without DISCONNECT (with its v5 will
// properties), and not when the client disconnects normally.
import { Peer, run, unique } from "./peer.mjs";

run(async (setup) => {
  const topic = unique("will");
  const watcher = new Peer(setup, "mqttjs-will-watcher");
  await watcher.connect();
  await watcher.subscribe(`${topic}/#`, { qos: 1 });

  const willOf = (name, payload, properties) => ({
    will: { topic: `${topic}/${name}`, payload: Buffer.from(payload), qos: 1, retain: false, properties },
  });
  const polite = new Peer(setup, "mqttjs-will-polite", willOf("polite", "polite will"));
  await polite.connect();
  await polite.close();
  await watcher.publish(`${topic}/polite`, "after polite disconnect", { qos: 1 });
  const afterNormalDisconnect = await watcher.untilMarker("after polite disconnect");

  const properties =
    setup.version === 5 ? { contentType: "text/plain", userProperties: { why: "crashed" } } : undefined;
  const crashed = new Peer(setup, "mqttjs-will-crash", willOf("crash", "crash will", properties));
  await crashed.connect();
  crashed.kill();
  const will = await watcher.next();
  await watcher.close();
  return { afterNormalDisconnect, will };
});
