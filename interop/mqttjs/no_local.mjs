// MQTT 5 No Local: a subscription with `nl: true` does not get its own client's
// messages back, while another client subscribed to the same topic does.
import { Peer, run, unique } from "./peer.mjs";

run(async (setup) => {
  const topic = unique("no-local");
  const talker = new Peer(setup, "mqttjs-nl-talker");
  const other = new Peer(setup, "mqttjs-nl-other");
  await talker.connect();
  await other.connect();
  await talker.subscribe(topic, { qos: 1, nl: true });
  await other.subscribe(topic, { qos: 1 });
  await talker.publish(topic, "own message", { qos: 1 });
  await other.publish(topic, "from other", { qos: 1 });
  const talkerGot = await talker.untilMarker("from other");
  const otherGot = await other.untilMarker("from other");
  await talker.close();
  await other.close();
  return { talkerGot: talkerGot.map((m) => m.payload), otherGot: otherGot.map((m) => m.payload) };
});
