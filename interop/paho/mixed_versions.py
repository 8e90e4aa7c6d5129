"""Clients of different versions talk through the broker: a v5 subscriber gets a v3.1.1
publisher's messages, and a v3.1.1 subscriber gets a v5 publisher's (minus properties,
which v3.1.1 cannot carry)."""

from peer import Peer, described, publish_properties, run


def scenario(setup):
    topic = setup.unique("mixed")
    v5 = Peer(setup, "paho-mixed-v5", version="5")
    v311 = Peer(setup, "paho-mixed-v311", version="311")
    v5.connect()
    v311.connect()
    v5.subscribe(f"{topic}/from-v311", 2)
    v311.subscribe(f"{topic}/from-v5", 2)

    v311.publish(f"{topic}/from-v311", "hello from 3.1.1", 2)
    v5.publish(
        f"{topic}/from-v5",
        "hello from 5",
        1,
        properties=publish_properties(UserProperty=[("k", "v")], ContentType="text/plain"),
    )
    by_v5 = v5.next_message()
    by_v311 = v311.next_message()
    v5.close()
    v311.close()
    return {
        "v5_received": None if by_v5 is None else described(by_v5),
        "v311_received": None if by_v311 is None else described(by_v311),
    }


if __name__ == "__main__":
    run(scenario)
