/** An answer field that is missing or unreadable: the whole answer is treated as unreadable. */
export class MalformedAnswerError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'MalformedAnswerError';
  }
}
