// MQTT 5 enhanced authentication with SCRAM-SHA-256, written here with node's crypto
// from RFC 5802 alone: CONNECT carries `properties.authenticationMethod` and the
// client-first message as `authenticationData`, `client.handleAuth` answers the
// broker's AUTH challenge with the client-final message, and the CONNACK's
// Authentication Data must hold the broker's signature. Then a message round trip on
// the authenticated connection, and a second login with a wrong password.
//
// Takes `URL 5 USER PASSWORD`.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { Peer, run, unique } from "./peer.mjs";

const METHOD = "SCRAM-SHA-256";

/** The client side of one SCRAM-SHA-256 exchange. */
class Scram {
  constructor(user, password) {
    this.password = password;
    this.nonce = randomBytes(18).toString("base64");
    const escaped = user.replaceAll("=", "=3D").replaceAll(",", "=2C");
    this.clientFirstBare = `n=${escaped},r=${this.nonce}`;
  }

  clientFirst() {
    return Buffer.from(`n,,${this.clientFirstBare}`);
  }

  clientFinal(serverFirst) {
    const attributes = Object.fromEntries(
      serverFirst.split(",").map((part) => [part[0], part.slice(2)]),
    );
    if (!attributes.r?.startsWith(this.nonce) || attributes.r === this.nonce) {
      throw new Error(`server nonce does not extend ours: ${serverFirst}`);
    }
    const salted = pbkdf2Sync(
      this.password,
      Buffer.from(attributes.s, "base64"),
      Number(attributes.i),
      32,
      "sha256",
    );
    const hmac = (key, data) => createHmac("sha256", key).update(data).digest();
    const clientKey = hmac(salted, "Client Key");
    const storedKey = createHash("sha256").update(clientKey).digest();
    const withoutProof = `c=biws,r=${attributes.r}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(clientKey.map((byte, at) => byte ^ signature[at]));
    this.expectedServerSignature = hmac(hmac(salted, "Server Key"), authMessage);
    return Buffer.from(`${withoutProof},p=${proof.toString("base64")}`);
  }

  /** Whether the server-final `v=` is the signature only the verifier's owner can make. */
  verifies(serverFinal) {
    const signature = Buffer.from(serverFinal.replace(/^v=/, ""), "base64");
    const expected = this.expectedServerSignature;
    return (
      serverFinal.startsWith("v=") &&
      expected !== undefined &&
      signature.length === expected.length &&
      timingSafeEqual(signature, expected)
    );
  }
}

/** A Peer whose MQTT.js client runs the SCRAM exchange; `challenges` counts AUTHs. */
function scramPeer(setup, name, user, password) {
  const scram = new Scram(user, password);
  const peer = new Peer(setup, name, {
    properties: { authenticationMethod: METHOD, authenticationData: scram.clientFirst() },
  });
  peer.challenges = 0;
  const connect = peer.connect.bind(peer);
  peer.connect = () => {
    const connecting = connect();
    peer.client.handleAuth = (packet, callback) => {
      peer.challenges += 1;
      try {
        const serverFirst = Buffer.from(packet.properties.authenticationData).toString();
        callback(null, {
          cmd: "auth",
          reasonCode: 0x18,
          properties: { authenticationMethod: METHOD, authenticationData: scram.clientFinal(serverFirst) },
        });
      } catch (error) {
        callback(error);
      }
    };
    return connecting;
  };
  return { peer, scram };
}

run(async (setup) => {
  const [user, password] = process.argv.slice(4);
  const { peer, scram } = scramPeer(setup, "mqttjs-scram", user, password);
  const connack = await peer.connect();
  const serverFinal = Buffer.from(connack.properties.authenticationData ?? []).toString();
  const topic = unique("scram");
  await peer.subscribe(topic, { qos: 1 });
  await peer.publish(topic, "after SCRAM", { qos: 1 });
  const received = await peer.next();
  await peer.close();

  const wrong = scramPeer(setup, "mqttjs-scram-bad", user, `${password}-wrong`);
  let refusal = null;
  try {
    await wrong.peer.connect();
    await wrong.peer.close();
  } catch (error) {
    refusal = { code: error.code ?? null, message: String(error.message ?? error) };
    wrong.peer.kill();
  }
  return {
    challenges: peer.challenges,
    method: connack.properties.authenticationMethod ?? null,
    serverVerified: scram.verifies(serverFinal),
    received: received.payload,
    wrongPassword: { challenges: wrong.peer.challenges, refusal },
  };
});
