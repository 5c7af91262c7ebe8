/** A file that cannot be read as Fink ZTF alerts. The message always names the file, the field and the reason. */
export class AlertFileError extends Error {
  readonly file: string;
  readonly field: string | null;
  readonly reason: string;

  constructor(file: string, field: string | null, reason: string) {
    super(`${file}: ${field ? `field '${field}': ` : ''}${reason}`);
    this.name = 'AlertFileError';
    this.file = file;
    this.field = field;
    this.reason = reason;
  }
}
