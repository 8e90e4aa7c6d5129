// Starts the deck's own release binary as a stand-alone broker (`mqttdeck broker`) with a
// password file and optionally an ACL, on a free loopback port, for tests that need a
// broker configured differently from the one the page is served with.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, waitForPort } from "./mosquitto";

export const MQTTDECK = resolve(__dirname, "../../target/release/mqttdeck");

export interface DeckUser {
  name: string;
  password: string;
  /** Adds SCRAM lines for these hashes ("sha-1", "sha-256", "sha-512") besides the argon2 one. */
  scram?: string[];
}

export interface DeckBroker {
  url: string;
  stop: () => void;
}

function passwd(file: string, user: DeckUser, extra: string[]): void {
  const made = spawnSync(MQTTDECK, ["passwd", file, user.name, "--password", user.password, ...extra]);
  if (made.status !== 0) throw new Error(`mqttdeck passwd failed: ${made.stderr}`);
}

export async function startDeckBroker(users: DeckUser[], acl?: string): Promise<DeckBroker> {
  const dir = mkdtempSync(join(tmpdir(), "mqttdeck-broker-"));
  chmodSync(dir, 0o700);
  const passwords = join(dir, "passwords");
  for (const user of users) {
    passwd(passwords, user, []);
    for (const hash of user.scram ?? []) passwd(passwords, user, ["--scram", hash]);
  }
  const args = ["broker", "--mqtt", "off", "--passwords", passwords];
  if (acl !== undefined) {
    const aclFile = join(dir, "acl");
    writeFileSync(aclFile, acl);
    args.push("--acl", aclFile);
  }
  const port = await freePort();
  args.push("--ws", `127.0.0.1:${port}`);
  const broker = spawn(MQTTDECK, args, { stdio: "ignore" });
  await waitForPort(port);
  return { url: `ws://127.0.0.1:${port}/mqtt`, stop: () => broker.kill("SIGTERM") };
}
