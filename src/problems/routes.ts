/**
 * GET /problems/<slug>: the page each problem `type` URI names (RFC 9457
 * section 3.1.1 suggests the type URI lead to human-readable documentation).
 * The pages are built from the problem registry (src/http/problem.ts) only;
 * nothing from the request is echoed back.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound, problemSchema, problemTypes, type ProblemType } from '../http/problem.ts';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
/** Escaped text with `code` spans. */
const prose = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');

export function problemPage(slug: ProblemType): string {
  const { status, title, advice } = problemTypes[slug];
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>Problem type <code>/problems/${escapeHtml(slug)}</code>, HTTP status ${status}.</p>
<h2>What to do</h2>
<p>${prose(advice)}</p>
<p>The response body is an RFC 9457 problem (application/problem+json): <code>detail</code> explains this occurrence and <code>requestId</code> identifies it in the service's logs. See the <a href="/docs">API documentation</a>.</p>
</body>
</html>
`;
}

export const problemsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/problems/:type', {
    config: { action: 'public' },
    schema: {
      tags: ['problems'],
      operationId: 'getProblemType',
      summary: 'What a problem type means and what to do about it (text/html)',
      description: "The page every problem's `type` URI names: its title, HTTP status and what the client should do. Unknown types answer 404.",
      params: z.object({ type: z.string().max(64).describe('The problem type slug, e.g. validation-error') }),
      produces: ['text/html'],
      response: { 200: z.string().describe('A short HTML page'), 404: problemSchema },
    },
    handler: async (req, reply) => {
      const slug = req.params.type;
      if (!Object.hasOwn(problemTypes, slug)) throw notFound('problem type');
      return reply.header('cache-control', 'public, max-age=3600').type('text/html; charset=utf-8').send(problemPage(slug as ProblemType));
    },
  });
};
