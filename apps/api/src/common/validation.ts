import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

function flatten(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Validation errors name the field: `{ errors: [{ field: "uscc", message: "..." }] }`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ detail: 'The request is not valid', errors: flatten(errors) }),
  });
}

/** A 400 for one named field, in the same shape as the validation pipe's. */
export function fieldError(field: string, message: string): BadRequestException {
  return new BadRequestException({ detail: message, errors: [{ field, message }] });
}
