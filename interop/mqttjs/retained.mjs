// A retained message reaches a later subscriber with the retain flag set; an empty
// retained payload clears it, so the next subscriber gets nothing before a live marker.
import { Peer, run, unique } from "./peer.mjs";

run(async (setup) => {
  const topic = unique("retained");
  const publisher = new Peer(setup, "mqttjs-retain-pub");
  await publisher.connect();
  await publisher.publish(topic, "kept", { qos: 1, retain: true });

  const first = new Peer(setup, "mqttjs-retain-sub1");
  await first.connect();
  await first.subscribe(topic, { qos: 1 });
  await publisher.publish(topic, "marker one", { qos: 1 });
  const delivered = await first.untilMarker("marker one");
  await first.close();

  await publisher.publish(topic, "", { qos: 1, retain: true });
  const second = new Peer(setup, "mqttjs-retain-sub2");
  await second.connect();
  await second.subscribe(topic, { qos: 1 });
  await publisher.publish(topic, "marker two", { qos: 1 });
  const afterClear = await second.untilMarker("marker two");
  await second.close();
  await publisher.close();
  return { delivered, afterClear };
});
