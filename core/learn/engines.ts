/**
 * The registry of learning engines: settings, the API, the CLI, simulate grids and the Settings screen take their
 * lists from here. Apart from classifier.ts (which builds them) so the renderer can list them without the engines.
 */
export const ENGINE_NAMES = ['hgb', 'hrf', 'mlrf'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Each engine's full name (the Settings screen's options). */
export const ENGINE_TEXT: Record<EngineName, string> = {
  hgb: 'histogram gradient boosting',
  hrf: 'histogram random forest',
  mlrf: 'ml-random-forest',
};
