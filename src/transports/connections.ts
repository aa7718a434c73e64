/**
 * A cap on open connections, so that idle or half-sent sockets cannot use up the process's
 * file descriptors and take the server offline. At the cap, a new connection makes room by
 * closing the idlest connection that has no request in progress (one that never authenticated
 * first, then one that did: keep-alive clients reconnect at no cost), so a load balancer's
 * /healthz still gets through when the cap is filled by idle sockets. Only when every
 * connection has a request in progress is the new one refused.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../logger.js";
import { LogAggregator } from "./log-aggregator.js";

interface Connection {
  /** Requests received and not yet answered. */
  busy: number;
  /** A request on this connection presented a valid token. */
  authenticated: boolean;
  /** When it last received or finished a request (or opened). */
  lastActive: number;
}

export class ConnectionGuard {
  readonly #open = new Map<Socket, Connection>();
  readonly #log: LogAggregator<"closedIdle" | "refused">;

  constructor(
    server: Server,
    private readonly max: number,
    logger: Logger,
    logIntervalMs = 60_000,
  ) {
    this.#log = new LogAggregator({
      intervalMs: logIntervalMs,
      maxKeys: 1,
      first: (_key, action) =>
        logger.warn(
          { maxConnections: max, action },
          "connection cap reached (KLAVIYO_MCP_MAX_CONNECTIONS): making room by closing idle connections",
        ),
      summary: (_key, counts) =>
        logger.warn(
          { maxConnections: max, ...counts, seconds: logIntervalMs / 1000 },
          "connection cap reached again",
        ),
    });
    server.on("connection", (socket: Socket) => this.#accept(socket));
  }

  get size(): number {
    return this.#open.size;
  }

  requestStarted(socket: Socket): void {
    const connection = this.#open.get(socket);
    if (!connection) return;
    connection.busy++;
    connection.lastActive = performance.now();
  }

  requestFinished(socket: Socket): void {
    const connection = this.#open.get(socket);
    if (!connection) return;
    connection.busy = Math.max(0, connection.busy - 1);
    connection.lastActive = performance.now();
  }

  authenticated(socket: Socket): void {
    const connection = this.#open.get(socket);
    if (connection) connection.authenticated = true;
  }

  /** Logs what is pending and stops the log timer. */
  stop(): void {
    this.#log.stop();
  }

  #accept(socket: Socket): void {
    if (this.#open.size >= this.max) {
      const idlest = this.#idlest();
      if (idlest) {
        this.#open.delete(idlest);
        idlest.destroy();
        this.#log.record("cap", "closedIdle");
      } else {
        socket.destroy();
        this.#log.record("cap", "refused");
        return;
      }
    }
    this.#open.set(socket, { busy: 0, authenticated: false, lastActive: performance.now() });
    socket.once("close", () => this.#open.delete(socket));
  }

  /** The connection to close for room: no request in progress, unauthenticated first, idlest. */
  #idlest(): Socket | undefined {
    let best: [Socket, Connection] | undefined;
    for (const entry of this.#open) {
      const [, connection] = entry;
      if (connection.busy > 0) continue;
      if (
        !best ||
        (best[1].authenticated && !connection.authenticated) ||
        (best[1].authenticated === connection.authenticated &&
          connection.lastActive < best[1].lastActive)
      ) {
        best = entry;
      }
    }
    return best?.[0];
  }
}
