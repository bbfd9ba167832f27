import {
  type Assessment,
  blockResponse,
  createRequestInfo,
  ForwardedHeaderWarning,
  hasReadableBody,
  isBodyError,
  type MonitorOptions,
  metricsReply,
  type RequestExtractors,
  type RequestInfo,
  type RouteOverrides,
  type RouteProfile,
  rateLimitHeaders,
  readBody,
  resolveAdapter,
  type SecurityMonitor,
  type SummaryAccessOptions,
  summaryReply,
  validateSummaryAccess,
} from '@ai-security-monitor/core';
import type { Context, Middleware, Next } from 'koa';

// Everything from core, so that a Koa app needs only this package.
export * from '@ai-security-monitor/core';

/** How the Koa adapter reads a request. Each extractor runs per request; keep them cheap. */
export interface KoaAdapterOptions extends RequestExtractors<Context> {
  /**
   * When no body parser ran before the middleware, read JSON and text bodies up to this many
   * bytes (parsed into `ctx.request.body`, where body parsers look first). `0` turns it off.
   * Defaults to `1048576`.
   */
  bodyLimit?: number;
}

/** Options of {@link aiSecurity}: the monitor's options plus the adapter's extractors. */
export interface KoaSecurityOptions extends MonitorOptions, KoaAdapterOptions {}

/** Options of the summary handler. */
export type SummaryHandlerOptions = SummaryAccessOptions<Context>;

/** The middleware, with the shared monitor and helpers for routes and the summary. */
export interface AiSecurityMiddleware extends Middleware {
  readonly monitor: SecurityMonitor;
  /** Middleware for one route with its own overrides, sharing this monitor and its state. */
  route(overrides: RouteOverrides | false): Middleware;
  /** A handler that serves the incident summary (JSON, CSV or the dashboard), protected by a token or `authorize`. */
  summary(options: SummaryHandlerOptions): Middleware;
  /** A handler that serves the Prometheus metrics (option `metrics`), protected like the summary. */
  metrics(options: SummaryHandlerOptions): Middleware;
  /** Close the monitor (flushes incidents and the log file). */
  close(): Promise<void>;
}

const INFO = Symbol('aiSecurity.info');
const PROFILE = Symbol('aiSecurity.profile');

interface Tracked {
  [INFO]?: RequestInfo;
  [PROFILE]?: RouteProfile;
}

interface RequestWithBody {
  body?: unknown;
}

/** The status Koa will answer with for an error thrown downstream. */
function errorStatus(error: unknown): number {
  const e = error as { status?: unknown; statusCode?: unknown };
  const status =
    typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  return status >= 400 && status <= 599 ? status : 500;
}

/**
 * Security monitoring for a Koa app in one line:
 *
 * ```ts
 * app.use(bodyParser());
 * app.use(aiSecurity({ modelName: 'production_model' }));
 * ```
 *
 * Takes options (a new monitor is created) or an existing {@link SecurityMonitor} to share.
 */
export function aiSecurity(
  optionsOrMonitor: KoaSecurityOptions | SecurityMonitor = {},
  adapterOptions: KoaAdapterOptions = {},
): AiSecurityMiddleware {
  const { monitor, adapter, bodyLimit } = resolveAdapter(optionsOrMonitor, adapterOptions);
  const budget = monitor.options.maxInputBytes;
  const proxyWarning = new ForwardedHeaderWarning(monitor.logger, "Koa's `app.proxy` setting");
  const sendHeaders = monitor.options.rateLimitHeaders;

  function toRequestInfo(ctx: Context): RequestInfo {
    const body = (ctx.request as unknown as RequestWithBody).body;
    return createRequestInfo(
      ctx,
      { ip: ctx.ip || 'unknown', method: ctx.method, path: ctx.path, body },
      adapter,
      budget,
    );
  }

  async function ensureBody(ctx: Context): Promise<void> {
    const request = ctx.request as unknown as RequestWithBody;
    if (bodyLimit === 0 || request.body !== undefined || ctx.req.readableEnded || !hasReadableBody(ctx.req))
      return;
    request.body = await readBody(ctx.req, bodyLimit);
  }

  function inspectWith(profile: RouteProfile | undefined): Middleware {
    return async function aiSecurityMiddleware(ctx: Context, next: Next): Promise<void> {
      const tracked = ctx as Context & Tracked;
      let assessment: Assessment;
      let first = false;
      let info: RequestInfo;
      try {
        if (ctx.get('x-forwarded-for') !== '') proxyWarning.check(true, ctx.app.proxy);
        await ensureBody(ctx);
        first = tracked[INFO] === undefined;
        info = tracked[INFO] ?? toRequestInfo(ctx);
        tracked[INFO] = info;
        if (profile !== undefined) tracked[PROFILE] = profile;
        assessment = await monitor.inspect(info, profile);
        ctx.state.aiSecurity = assessment;
      } catch (error) {
        if (isBodyError(error))
          ctx.throw(error.status, error instanceof Error ? error.message : 'bad request body');
        monitor.logger.error('inspection failed; request passed unchecked', { error: String(error) });
        await next();
        return;
      }
      if (assessment.blocked) {
        const blocked = blockResponse(assessment);
        ctx.status = blocked.status;
        ctx.set(blocked.headers);
        ctx.body = JSON.stringify(blocked.body);
        return;
      }
      if (sendHeaders) ctx.set(rateLimitHeaders(assessment));
      if (!first) {
        await next();
        return;
      }
      // The outermost inspection reports the final status, including a thrown error's.
      try {
        await next();
      } catch (error) {
        void monitor.recordOutcome(info, errorStatus(error), tracked[PROFILE]);
        throw error;
      }
      const final = ctx.state.aiSecurity as Assessment | undefined;
      if (final?.blocked !== true) void monitor.recordOutcome(info, ctx.status, tracked[PROFILE]);
    };
  }

  const middleware = inspectWith(undefined) as AiSecurityMiddleware;
  Object.defineProperty(middleware, 'name', { value: 'aiSecurity' });
  Object.defineProperty(middleware, 'monitor', { value: monitor, enumerable: true });
  middleware.route = (overrides) => inspectWith(monitor.profile(overrides));
  middleware.summary = (options) => summaryHandler(monitor, options);
  middleware.metrics = (options) => {
    validateSummaryAccess(options);
    return async function aiSecurityMetrics(ctx: Context): Promise<void> {
      const reply = await metricsReply(monitor, options, ctx, ctx.get('authorization') || undefined);
      ctx.status = reply.status;
      ctx.set(reply.headers);
      ctx.body = reply.body;
    };
  };
  middleware.close = () => monitor.close();
  return middleware;
}

/**
 * The incident summary as JSON (`GET …?hours=24`), for the security team. Protected: a bearer
 * token (compared in constant time) or `authorize(ctx)`; `public: true` must be said to go without.
 */
export function summaryHandler(monitor: SecurityMonitor, options: SummaryHandlerOptions): Middleware {
  validateSummaryAccess(options);
  return async function aiSecuritySummary(ctx: Context): Promise<void> {
    const reply = await summaryReply(monitor, options, ctx, {
      query: ctx.query as Record<string, unknown>,
      accept: ctx.get('accept') || undefined,
      authorization: ctx.get('authorization') || undefined,
    });
    ctx.status = reply.status;
    ctx.set(reply.headers);
    ctx.body = reply.body;
  };
}
