"""The will is published when a client's connection dies without DISCONNECT (with its
v5 will properties), and not when the client disconnects normally."""

from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from peer import Peer, described, run


def will_properties(setup):
    if setup.version != "5":
        return None
    properties = Properties(PacketTypes.WILLMESSAGE)
    properties.ContentType = "text/plain"
    properties.UserProperty = [("why", "crashed")]
    return properties


def scenario(setup):
    topic = setup.unique("will")
    watcher = Peer(setup, "paho-will-watcher")
    watcher.connect()
    watcher.subscribe(f"{topic}/#", 1)

    polite = Peer(setup, "paho-will-polite").will(f"{topic}/polite", "polite will")
    polite.connect()
    polite.close()
    watcher.publish(f"{topic}/polite", "after polite disconnect", 1)
    after_normal_disconnect = watcher.until_marker(b"after polite disconnect")

    crashed = Peer(setup, "paho-will-crash")
    crashed.will(f"{topic}/crash", "crash will", 1, will_properties(setup))
    crashed.connect()
    crashed.kill()
    will = watcher.next_message()
    watcher.close()
    return {
        "after_normal_disconnect": after_normal_disconnect,
        "will": None if will is None else described(will),
    }


if __name__ == "__main__":
    run(scenario)
