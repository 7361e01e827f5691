import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorAnswer } from '@chunkflow/api';
import {
  type ApplicationError,
  DocumentTooLargeError,
  newCorrelationId,
  TimeoutError,
  ValidationError,
} from '@chunkflow/errors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './error-reply.ts';

/**
 * The typed error behind a 4xx status Fastify or Node chose (414 long path, 415 media type, 431
 * headers, 408 slow client...): the status is kept, the body is the documented envelope.
 */
export function errorForStatus(status: number, message: string, bodyLimitBytes: number): ApplicationError {
  if (status === 408) return new TimeoutError('Receiving the request');
  if (status === 413) return new DocumentTooLargeError(Number.NaN, bodyLimitBytes);
  return new ValidationError(message);
}

/** Fastify's router refusals (`frameworkErrors`): malformed URL (400), path parameter too long (414). */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 400;
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'The request path is too long' : 'Malformed URL';
  sendError(request, reply, errorForStatus(status, message, 0), status);
}

const CLIENT_ERROR_STATUS: Record<string, number> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
};

const CLIENT_ERROR_MESSAGE: Record<number, string> = {
  431: 'The request headers (URL included) are too large',
  400: 'Malformed HTTP request',
};

/**
 * Node's own refusals, before any request object exists (`clientErrorHandler`): headers too large,
 * a client too slow to send its request, unparsable HTTP. Answered in the envelope, with a fresh
 * correlation id, unless a response already started on the socket; the connection is then closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node's own handler checks the same: a response in progress must not get a second status line.
  const inProgress = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !inProgress?.headersSent) {
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
    const refusal = errorForStatus(status, CLIENT_ERROR_MESSAGE[status] ?? '', 0);
    const answer = errorAnswer(refusal, { correlationId: newCorrelationId(), status });
    const body = JSON.stringify(answer.rest);
    const headers = Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`);
    socket.end(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...headers,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  }
  // A client that does not read its answer must not keep the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}
