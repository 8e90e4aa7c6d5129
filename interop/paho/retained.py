"""A retained message reaches a later subscriber with the retain flag set; an empty
retained payload clears it, so the next subscriber gets nothing before a live marker."""

from peer import Peer, run


def scenario(setup):
    topic = setup.unique("retained")
    publisher = Peer(setup, "paho-retain-pub")
    publisher.connect()
    publisher.publish(topic, "kept", 1, retain=True)

    first = Peer(setup, "paho-retain-sub1")
    first.connect()
    first.subscribe(topic, 1)
    delivered = first.next_message()
    first.close()

    publisher.publish(topic, b"", 1, retain=True)
    second = Peer(setup, "paho-retain-sub2")
    second.connect()
    second.subscribe(topic, 1)
    publisher.publish(topic, "live marker", 1)
    after_clear = second.until_marker(b"live marker")
    second.close()
    publisher.close()
    return {
        "delivered": None if delivered is None else {
            "payload": delivered.payload.decode(),
            "retain": bool(delivered.retain),
            "qos": delivered.qos,
        },
        "after_clear": after_clear,
    }


if __name__ == "__main__":
    run(scenario)
