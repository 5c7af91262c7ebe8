/** Errors of the run tracker. Each names what was refused so a CLI or UI can show it as is. */

export class TrackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrackError';
  }
}

export class RunNotFoundError extends TrackError {
  constructor(readonly runId: string) {
    super(`no run with id '${runId}'`);
    this.name = 'RunNotFoundError';
  }
}

export class ExperimentNotFoundError extends TrackError {
  constructor(readonly experiment: string) {
    super(`no experiment named '${experiment}'`);
    this.name = 'ExperimentNotFoundError';
  }
}

/** Params are immutable once logged (as in MLflow): logging the same value again is fine, another value is not. */
export class ParamChangeError extends TrackError {
  constructor(runId: string, key: string, existing: string, attempted: string) {
    super(
      `param '${key}' of run ${runId} was already logged as '${existing}'; changing it to '${attempted}' is not ` +
        'allowed (params are immutable; log a metric or a tag for values that change)',
    );
    this.name = 'ParamChangeError';
  }
}

/** A key (param, metric, tag) or an artifact path that could escape its folder or is not portable. */
export class InvalidNameError extends TrackError {
  constructor(what: string, name: string, why: string) {
    super(`invalid ${what} '${name}': ${why}`);
    this.name = 'InvalidNameError';
  }
}
