/**
 * pino logger with redaction. Contact fields, tokens and bodies never reach
 * the log; request URLs are logged without their query string (which may hold
 * an email address used for lookup).
 */
import { pino, type DestinationStream, type Logger } from 'pino';

const CONTACT_FIELDS = ['name', 'title', 'rank', 'organization', 'email', 'phone', 'languages', 'timezone', 'availability', 'publicKey', 'notes'];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'body',
  'err.params',
  '*.params',
  '*.body',
  ...CONTACT_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string; ip?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.split('?')[0],
          ip: req.ip,
        }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
