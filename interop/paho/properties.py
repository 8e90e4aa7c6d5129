"""MQTT 5 publish properties pass through the broker unchanged: user properties (order
and repeats kept), content type, response topic, correlation data, payload format
indicator, and a message expiry interval that may only have counted down."""

from peer import Peer, described, publish_properties, run


def scenario(setup):
    topic = setup.unique("properties")
    subscriber = Peer(setup, "paho-props-sub", version="5")
    subscriber.connect()
    subscriber.subscribe(topic, 1)
    publisher = Peer(setup, "paho-props-pub", version="5")
    publisher.connect()
    properties = publish_properties(
        UserProperty=[("b", "2"), ("a", "1"), ("a", "again"), ("ünï", "cödé")],
        ContentType="application/json; charset=utf-8",
        ResponseTopic=f"{topic}/reply",
        CorrelationData=bytes([0, 1, 2, 0xFE, 0xFF]),
        PayloadFormatIndicator=1,
        MessageExpiryInterval=3600,
    )
    publisher.publish(topic, '{"hello": "deck"}', 1, properties=properties)
    message = subscriber.next_message()
    publisher.close()
    subscriber.close()
    return {"received": None if message is None else described(message)}


if __name__ == "__main__":
    run(scenario)
