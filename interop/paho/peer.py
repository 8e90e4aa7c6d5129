"""A paho-mqtt client wrapped for the interop scripts: blocking connect, subscribe and
publish with deadlines, received messages in a queue, and an abrupt socket kill, so each
scenario reads as a short sequence of steps. Every wait is bounded; a script never hangs.

Scripts take `PORT TRANSPORT VERSION` (transport `tcp` or `websockets`, version `311` or
`5`) and print one JSON object on stdout that the Rust test asserts on.
"""

import json
import queue
import socket
import sys
import threading
import uuid

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

HOST = "127.0.0.1"
WAIT = 10.0
VERSIONS = {"311": mqtt.MQTTv311, "5": mqtt.MQTTv5}


class Setup:
    """Where the broker is and how to reach it, from the command line."""

    def __init__(self, argv):
        if len(argv) != 4 or argv[2] not in ("tcp", "websockets") or argv[3] not in VERSIONS:
            sys.exit(f"usage: {argv[0]} PORT tcp|websockets 311|5")
        self.port = int(argv[1])
        self.transport = argv[2]
        self.version = argv[3]

    def unique(self, stem):
        """A topic no other run touches, so retained leftovers cannot leak between tests."""
        return f"interop/paho/{stem}/{uuid.uuid4().hex[:12]}"


class StepFailed(Exception):
    """A step did not complete in time; the script reports it instead of hanging."""


class Peer:
    """One paho client driven by its own network thread (`loop_start`)."""

    def __init__(self, setup, name, version=None):
        self.version = version or setup.version
        self.setup = setup
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"{name}-{uuid.uuid4().hex[:8]}",
            protocol=VERSIONS[self.version],
            transport=setup.transport,
        )
        if setup.transport == "websockets":
            self.client.ws_set_options(path="/mqtt")
        self.messages = queue.Queue()
        self.connack = None
        self.connected = threading.Event()
        self.acks = {}
        self.acked = threading.Condition()
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = lambda _c, _u, message: self.messages.put(message)

    @property
    def is_v5(self):
        return self.version == "5"

    def _on_connect(self, _client, _userdata, _flags, reason_code, _properties):
        self.connack = reason_code.value
        self.connected.set()

    def _on_subscribe(self, _client, _userdata, mid, reason_codes, _properties):
        with self.acked:
            self.acks[mid] = [code.value for code in reason_codes]
            self.acked.notify_all()

    def will(self, topic, payload, qos=1, properties=None):
        self.client.will_set(topic, payload, qos=qos, retain=False, properties=properties)
        return self

    def connect(self):
        """Connects and waits for CONNACK; returns its return / reason code."""
        self.client.connect(HOST, self.setup.port, keepalive=30)
        self.client.loop_start()
        if not self.connected.wait(WAIT):
            raise StepFailed("no CONNACK in time")
        return self.connack

    def subscribe(self, topic_filter, qos, no_local=False):
        """Subscribes and waits for SUBACK; returns the granted QoS / reason codes."""
        if self.is_v5:
            options = SubscribeOptions(qos=qos, noLocal=no_local)
            _, mid = self.client.subscribe(topic_filter, options=options)
        else:
            _, mid = self.client.subscribe(topic_filter, qos)
        with self.acked:
            if not self.acked.wait_for(lambda: mid in self.acks, WAIT):
                raise StepFailed(f"no SUBACK for {topic_filter} in time")
            return self.acks.pop(mid)

    def publish(self, topic, payload, qos, retain=False, properties=None):
        """Publishes and, for QoS 1/2, waits until the broker has acknowledged it."""
        info = self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        info.wait_for_publish(WAIT)
        if not info.is_published():
            raise StepFailed(f"publish to {topic} not acknowledged in time")

    def next_message(self, timeout=WAIT):
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    def until_marker(self, marker):
        """Messages received before `marker` arrives: a bounded way to show "nothing else came"."""
        seen = []
        while True:
            message = self.next_message()
            if message is None:
                raise StepFailed(f"marker {marker!r} never arrived; saw {seen}")
            if message.payload == marker:
                return seen
            seen.append(described(message))

    def kill(self):
        """Drops the TCP connection without DISCONNECT, as a crashed client would."""
        self.client.loop_stop()
        sock = self.client.socket()
        raw = getattr(sock, "_socket", sock)  # the websocket wrapper holds the real socket
        try:
            raw.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        raw.close()

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


def publish_properties(**values):
    properties = Properties(PacketTypes.PUBLISH)
    for name, value in values.items():
        setattr(properties, name, value)
    return properties


def described(message):
    """A received message as plain JSON: what the Rust side asserts on."""
    properties = getattr(message, "properties", None)
    return {
        "topic": message.topic,
        "payload": message.payload.decode("utf-8", "replace"),
        "qos": message.qos,
        "retain": bool(message.retain),
        "properties": properties.json() if properties is not None else {},
    }


def run(scenario):
    """Runs `scenario(setup)` and prints its result (or the failed step) as JSON."""
    setup = Setup(sys.argv)
    try:
        result = scenario(setup)
    except StepFailed as failure:
        result = {"failed": str(failure)}
    print(json.dumps(result), flush=True)
