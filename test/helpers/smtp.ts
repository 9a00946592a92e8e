// A real SMTP server inside the test (smtp-server), collecting what it receives, parsed.
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtp {
  port: number;
  received: ParsedMail[];
  /**
   * How many of the next messages to take in and then drop the connection before answering: the
   * server has the message, the client never hears so (a reply lost on the way).
   */
  loseReplies: number;
  /** How long the server takes, after a message has arrived, to answer "250" (a slow mail server). */
  replyDelayMs: number;
  /** Starts listening (again) on the same port. */
  start(): Promise<void>;
  /** Stops listening: connections are refused, as when the mail server is down. */
  stop(): Promise<void>;
  /** Resolves once `count` messages in all have arrived (at once if they already have). */
  waitForMessages(count: number): Promise<void>;
}

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function createTestSmtp(options: { listening?: boolean } = {}): Promise<TestSmtp> {
  const port = await freePort();
  const received: ParsedMail[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const arrived = (mail: ParsedMail) => {
    received.push(mail);
    for (const waiter of waiting.filter((w) => received.length >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  let server: SMTPServer | undefined;
  // The sockets by the client's port, so a reply can be lost on the connection that sent the message.
  const sockets = new Map<number, net.Socket>();
  const smtp: TestSmtp = {
    port,
    received,
    loseReplies: 0,
    replyDelayMs: 0,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, callback) {
          simpleParser(stream)
            .then((mail) => {
              arrived(mail);
              if (smtp.loseReplies > 0) {
                smtp.loseReplies--;
                sockets.get(session.remotePort)?.destroy();
                return;
              }
              if (smtp.replyDelayMs > 0) setTimeout(() => callback(), smtp.replyDelayMs);
              else callback();
            })
            .catch(callback);
        },
      });
      server.server.on('connection', (socket: net.Socket) => {
        const remotePort = socket.remotePort!;
        sockets.set(remotePort, socket);
        socket.once('close', () => sockets.delete(remotePort));
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      const running = server;
      server = undefined;
      if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
    },
    waitForMessages(count) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ count, resolve }));
    },
  };
  if (options.listening !== false) await smtp.start();
  return smtp;
}

/** The first https link in a mail's text part that starts with the given prefix. */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}[A-Za-z0-9_\\-/?=]+`).exec(mail.text ?? '');
  if (!match) throw new Error(`No link starting ${prefix} in mail "${mail.subject}"`);
  return match[0];
}
