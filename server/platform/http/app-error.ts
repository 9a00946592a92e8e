// The one error type routes throw for expected failures; the error handler renders it.
export class AppError extends Error {
  constructor(
    readonly status: number,
    /** A translation key such as 'errors:not_found'. */
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
    /** What went wrong underneath, for the log (a 5xx is logged). */
    cause?: unknown,
  ) {
    super(messageKey, cause === undefined ? undefined : { cause });
  }
}

export const notFound = () => new AppError(404, 'errors:not_found');
