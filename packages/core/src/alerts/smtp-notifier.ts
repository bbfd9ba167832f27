import nodemailer, { type Transporter } from 'nodemailer';
import { alertHtml, alertSubject, alertText } from './format.js';
import type { Alert, Notifier } from './types.js';

/** SMTP settings of {@link SmtpNotifier} (the resolved `alerts.email` option). */
export interface SmtpNotifierOptions {
  server: string;
  port: number;
  sender: string;
  recipients: string[];
  /** `true`: TLS from the first byte (465). `false`: STARTTLS when the server offers it. */
  useTls: boolean;
  username?: string;
  password?: string;
  /** TLS settings passed to Node (e.g. `ca` for a private CA). */
  tls?: { rejectUnauthorized?: boolean; ca?: string | string[] };
  /** Per-connection timeouts in ms. Defaults to `10000`. */
  timeoutMs?: number;
}

/**
 * Delivers alerts by e-mail through nodemailer, over a pooled connection. Each mail has a plain
 * text and an HTML body; everything an attacker controls is escaped and truncated.
 */
export class SmtpNotifier implements Notifier {
  readonly name: string;
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpNotifierOptions) {
    this.name = `smtp ${options.server}:${options.port}`;
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      host: options.server,
      port: options.port,
      secure: options.useTls,
      pool: true,
      maxConnections: 2,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      ...(options.username !== undefined
        ? { auth: { user: options.username, pass: options.password ?? '' } }
        : {}),
      ...(options.tls !== undefined ? { tls: options.tls } : {}),
    });
  }

  async verify(): Promise<void> {
    await this.transport.verify();
  }

  async send(alert: Alert): Promise<void> {
    await this.transport.sendMail({
      from: this.options.sender,
      to: this.options.recipients,
      subject: alertSubject(alert),
      text: alertText(alert),
      html: alertHtml(alert),
      headers: { 'X-AI-Security-Alert': alert.id, 'X-AI-Security-Count': String(alert.count) },
    });
  }

  close(): void {
    this.transport.close();
  }
}
