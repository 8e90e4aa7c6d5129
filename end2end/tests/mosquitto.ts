// Starts Debian's Mosquitto with a WebSocket listener on a free loopback port, for tests
// against a broker nobody here wrote. Stopped by the test; restartable on the same port.
import { spawn, spawnSync, ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const MOSQUITTO = "/usr/sbin/mosquitto";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the loopback `port`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => { socket.destroy(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export interface MosquittoOptions {
  /** user → password; anonymous access is refused when given. */
  users?: Record<string, string>;
}

export class Mosquitto {
  private process?: ChildProcess;
  private constructor(
    readonly port: number,
    /** The plain MQTT (TCP) listener, for mosquitto_pub / mosquitto_sub. */
    readonly tcpPort: number,
    private readonly config: string,
  ) {}

  static async start(options: MosquittoOptions = {}): Promise<Mosquitto> {
    const dir = mkdtempSync(join(tmpdir(), "mqttdeck-mosquitto-"));
    // Started as root, Mosquitto drops to its own user, which must read these files.
    chmodSync(dir, 0o755);
    const port = await freePort();
    // Mosquitto 2.0.11 refuses to start with only a WebSocket listener ("Unable to start
    // any listening sockets"), so a plain TCP listener on loopback goes first.
    const tcpPort = await freePort();
    const lines = [`listener ${tcpPort} 127.0.0.1`, `listener ${port} 127.0.0.1`, "protocol websockets"];
    if (options.users) {
      const passwords = join(dir, "passwords");
      writeFileSync(passwords, "");
      for (const [user, password] of Object.entries(options.users)) {
        const result = spawnSync("mosquitto_passwd", ["-b", passwords, user, password]);
        if (result.status !== 0) throw new Error(`mosquitto_passwd failed: ${result.stderr}`);
      }
      chmodSync(passwords, 0o644);
      lines.push("allow_anonymous false", `password_file ${passwords}`);
    } else {
      lines.push("allow_anonymous true");
    }
    const config = join(dir, "mosquitto.conf");
    writeFileSync(config, lines.join("\n") + "\n");
    const broker = new Mosquitto(port, tcpPort, config);
    await broker.run();
    return broker;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/mqtt`;
  }

  async run(): Promise<void> {
    this.process = spawn(MOSQUITTO, ["-c", this.config], { stdio: "ignore" });
    await waitForPort(this.port);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
    this.process = undefined;
  }
}
