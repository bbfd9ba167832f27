import {
  type Assessment,
  blockResponse,
  createRequestInfo,
  ForwardedHeaderWarning,
  hasReadableBody,
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
import type { NextFunction, Request, RequestHandler, Response } from 'express';

// Everything from core, so that an Express app needs only this package.
export * from '@ai-security-monitor/core';

declare global {
  namespace Express {
    interface Request {
      /** What ai-security-monitor saw in this request. Set by the `aiSecurity` middleware. */
      aiSecurity?: Assessment;
    }
  }
}

/** How the Express adapter reads a request. Each extractor runs per request; keep them cheap. */
export interface ExpressAdapterOptions extends RequestExtractors<Request> {
  /**
   * When no body parser ran before the middleware, read JSON and text bodies up to this many
   * bytes (parsed into `req.body` as `express.json()` would). `0` turns it off. Defaults to `1048576`.
   */
  bodyLimit?: number;
}

/** Options of {@link aiSecurity}: the monitor's options plus the adapter's extractors. */
export interface ExpressSecurityOptions extends MonitorOptions, ExpressAdapterOptions {}

/** Options of the summary handler. */
export type SummaryHandlerOptions = SummaryAccessOptions<Request>;

/** The middleware, with the shared monitor and helpers for routes and the summary. */
export interface AiSecurityMiddleware extends RequestHandler {
  readonly monitor: SecurityMonitor;
  /** Middleware for one route with its own overrides, sharing this monitor and its state. */
  route(overrides: RouteOverrides | false): RequestHandler;
  /** A handler that serves the incident summary (JSON, CSV or the dashboard), protected by a token or `authorize`. */
  summary(options: SummaryHandlerOptions): RequestHandler;
  /** A handler that serves the Prometheus metrics (option `metrics`), protected like the summary. */
  metrics(options: SummaryHandlerOptions): RequestHandler;
  /** Close the monitor (flushes incidents and the log file). */
  close(): Promise<void>;
}

const INFO = Symbol('aiSecurity.info');
const PROFILE = Symbol('aiSecurity.profile');

interface Tracked {
  [INFO]?: RequestInfo;
  [PROFILE]?: RouteProfile;
}

/**
 * Security monitoring for an Express app in one line:
 *
 * ```ts
 * app.use(express.json());
 * app.use(aiSecurity({ modelName: 'production_model' }));
 * ```
 *
 * Takes options (a new monitor is created) or an existing {@link SecurityMonitor} to share.
 */
export function aiSecurity(
  optionsOrMonitor: ExpressSecurityOptions | SecurityMonitor = {},
  adapterOptions: ExpressAdapterOptions = {},
): AiSecurityMiddleware {
  const { monitor, adapter, bodyLimit } = resolveAdapter(optionsOrMonitor, adapterOptions);
  const budget = monitor.options.maxInputBytes;
  const proxyWarning = new ForwardedHeaderWarning(monitor.logger, "Express's `trust proxy` setting");
  const sendHeaders = monitor.options.rateLimitHeaders;

  function toRequestInfo(req: Request): RequestInfo {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    return createRequestInfo(
      req,
      { ip, method: req.method, path: req.path, body: req.body },
      adapter,
      budget,
    );
  }

  function checkProxy(req: Request): void {
    if (req.headers['x-forwarded-for'] === undefined) return;
    const trust = req.app.get('trust proxy fn') as ((addr: string, i: number) => boolean) | undefined;
    proxyWarning.check(true, trust?.(req.socket.remoteAddress ?? '', 0) === true);
  }

  async function ensureBody(req: Request): Promise<void> {
    if (bodyLimit === 0 || req.body !== undefined || req.readableEnded || !hasReadableBody(req)) return;
    req.body = await readBody(req, bodyLimit);
    (req as Request & { _body?: boolean })._body = true;
  }

  function inspectWith(profile: RouteProfile | undefined): RequestHandler {
    return async function aiSecurityMiddleware(
      req: Request,
      res: Response,
      next: NextFunction,
    ): Promise<void> {
      let assessment: Assessment;
      const tracked = req as Request & Tracked;
      try {
        checkProxy(req);
        await ensureBody(req);
        const info = tracked[INFO] ?? toRequestInfo(req);
        assessment = await monitor.inspect(info, profile);
        req.aiSecurity = assessment;
        if (tracked[INFO] === undefined) {
          tracked[INFO] = info;
          res.once('finish', () => {
            // Our own refusals are not the client's failures.
            if (req.aiSecurity?.blocked !== true)
              void monitor.recordOutcome(info, res.statusCode, tracked[PROFILE]);
          });
        }
        if (profile !== undefined) tracked[PROFILE] = profile;
      } catch (error) {
        if (
          (error as { type?: string }).type !== undefined &&
          (error as { status?: number }).status !== undefined
        ) {
          next(error); // body errors (413, 400) go to the app's error handler, as a body parser's would
          return;
        }
        monitor.logger.error('inspection failed; request passed unchecked', { error: String(error) });
        next();
        return;
      }
      if (assessment.blocked) {
        const blocked = blockResponse(assessment);
        res.status(blocked.status).set(blocked.headers).send(JSON.stringify(blocked.body));
        return;
      }
      if (sendHeaders && !res.headersSent) res.set(rateLimitHeaders(assessment));
      next();
    };
  }

  const middleware = inspectWith(undefined) as AiSecurityMiddleware;
  Object.defineProperty(middleware, 'name', { value: 'aiSecurity' });
  Object.defineProperty(middleware, 'monitor', { value: monitor, enumerable: true });
  middleware.route = (overrides) => inspectWith(monitor.profile(overrides));
  middleware.summary = (options) => summaryHandler(monitor, options);
  middleware.metrics = (options) => {
    validateSummaryAccess(options);
    return async function aiSecurityMetrics(req: Request, res: Response, next: NextFunction): Promise<void> {
      try {
        const reply = await metricsReply(monitor, options, req, req.headers.authorization);
        res.status(reply.status).set(reply.headers).send(reply.body);
      } catch (error) {
        next(error);
      }
    };
  };
  middleware.close = () => monitor.close();
  return middleware;
}

/**
 * The incident summary as JSON (`GET …?hours=24`), for the security team. Protected: a bearer
 * token (compared in constant time) or `authorize(req)`; `public: true` must be said to go without.
 */
export function summaryHandler(monitor: SecurityMonitor, options: SummaryHandlerOptions): RequestHandler {
  validateSummaryAccess(options);
  return async function aiSecuritySummary(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const reply = await summaryReply(monitor, options, req, {
        query: req.query as Record<string, unknown>,
        accept: req.headers.accept,
        authorization: req.headers.authorization,
      });
      res.status(reply.status).set(reply.headers).send(reply.body);
    } catch (error) {
      next(error);
    }
  };
}
