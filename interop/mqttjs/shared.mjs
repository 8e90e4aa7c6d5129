// A shared subscription `$share/g/FILTER` hands each message to exactly one of the
// group's members, while an ordinary subscriber to the same filter still gets them all.
import { Peer, run, unique } from "./peer.mjs";

const COUNT = 20;

run(async (setup) => {
  const topic = unique("shared");
  const names = ["share-a", "share-b"];
  const members = names.map((name) => new Peer(setup, `mqttjs-${name}`));
  const watcher = new Peer(setup, "mqttjs-share-all");
  const publisher = new Peer(setup, "mqttjs-share-pub");
  const granted = [];
  for (const [index, member] of members.entries()) {
    await member.connect();
    granted.push(...(await member.subscribe(`$share/g/${topic}/data`, { qos: 1 })));
    await member.subscribe(`${topic}/control/${names[index]}`, { qos: 1 });
  }
  await watcher.connect();
  await watcher.subscribe(`${topic}/data`, { qos: 1 });
  await publisher.connect();
  for (let n = 0; n < COUNT; n += 1) {
    await publisher.publish(`${topic}/data`, `message ${n}`, { qos: 1 });
  }
  await publisher.publish(`${topic}/data`, "end", { qos: 1 });
  const seenByAll = await watcher.untilMarker("end");

  // Wait until the group has had every message, then a private marker per member shows
  // that no second copy was still on its way.
  const total = () => members.reduce((sum, member) => sum + member.messages.length, 0);
  await members[0].waitFor(() => (total() >= COUNT + 1 ? true : undefined), "all shared messages");
  const byMember = [];
  for (const [index, member] of members.entries()) {
    await publisher.publish(`${topic}/control/${names[index]}`, "flush", { qos: 1 });
    const received = await member.untilMarker("flush");
    byMember.push(received.map((message) => message.payload).filter((payload) => payload !== "end"));
  }
  for (const peer of [...members, watcher, publisher]) await peer.close();
  return { granted, count: COUNT, seenByAll: seenByAll.map((message) => message.payload), byMember };
});
