// Connect, subscribe at QoS 2 and publish at QoS 0, 1 and 2 to yourself over ws://:
// each message comes back once, at the QoS it was published with, in order.
import { Peer, run, unique } from "./peer.mjs";

run(async (setup) => {
  const topic = unique("round-trip");
  const peer = new Peer(setup, "mqttjs-round-trip");
  const connack = await peer.connect();
  const granted = await peer.subscribe(`${topic}/#`, { qos: 2 });
  for (const qos of [0, 1, 2]) {
    await peer.publish(`${topic}/q${qos}`, `payload at qos ${qos}`, { qos });
  }
  await peer.publish(`${topic}/end`, "end", { qos: 0 });
  const received = await peer.untilMarker("end");
  await peer.close();
  return { connack, granted, received };
});
