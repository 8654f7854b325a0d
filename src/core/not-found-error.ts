// Something the caller named does not exist (a tunnel, a Fly machine): the API answers 404.
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
