import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';

/** RFC 9457 problem details: every error the API returns has this shape. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const problem = this.toProblem(exception);
    problem.instance = request.originalUrl;
    if (problem.status >= 500)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const title = HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error';
      const base: ProblemDetails = {
        type: `https://partnerwatch.dev/problems/${status}`,
        title: capitalise(title),
        status,
      };
      if (typeof body === 'string') return { ...base, detail: body };
      const b = body as { message?: unknown; errors?: ProblemDetails['errors']; detail?: string };
      if (b.errors) return { ...base, detail: b.detail ?? 'The request is not valid', errors: b.errors };
      const message = Array.isArray(b.message)
        ? b.message.join('; ')
        : typeof b.message === 'string'
          ? b.message
          : undefined;
      return message ? { ...base, detail: message } : base;
    }
    return {
      type: 'https://partnerwatch.dev/problems/500',
      title: 'Internal server error',
      status: 500,
      detail: 'Something went wrong on our side; it has been logged',
    };
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
