"""Connect, subscribe at QoS 2 and publish at QoS 0, 1 and 2 to yourself: each message
comes back once, at the QoS it was published with, in order."""

from peer import Peer, run


def scenario(setup):
    topic = setup.unique("round-trip")
    peer = Peer(setup, "paho-round-trip")
    connack = peer.connect()
    granted = peer.subscribe(f"{topic}/#", 2)
    for qos in (0, 1, 2):
        peer.publish(f"{topic}/q{qos}", f"payload at qos {qos}", qos)
    peer.publish(topic + "/end", "end", 0)
    received = peer.until_marker(b"end")
    peer.close()
    return {"connack": connack, "granted": granted, "received": received}


if __name__ == "__main__":
    run(scenario)
