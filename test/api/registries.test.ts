/** Strategies, engines and tasks are each listed once (their registry); every other list is derived from it. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTRACT } from '../../core/api/contract.js';
import type { Settings } from '../../core/api/types.js';
import { registerRound } from '../../core/cli/commands/round.js';
import { registerSimulate } from '../../core/cli/commands/simulate.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { DEFAULT_LABEL_KEYS, TASK_CLASS_NAMES, TASKS } from '../../core/labels.js';
import { ENGINE_NAMES, ENGINE_TEXT } from '../../core/learn/engines.js';
import { RANKINGS, STRATEGIES, STRATEGY_TEXT } from '../../core/learn/strategies.js';
import { EngineChoiceSchema, StudySchema } from '../../core/loop/simulate/grid.js';
import { openStore } from '../../core/store/database.js';
import { getSettings, updateSettings } from '../../core/store/settings.js';

/** The names a schema accepts: an enum, an optional enum or an array of one. */
function enumOf(schema: z.ZodType): readonly string[] {
  if (schema instanceof z.ZodOptional) return enumOf(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodArray) return enumOf(schema.element as z.ZodType);
  if (!(schema instanceof z.ZodEnum)) throw new Error('not an enum');
  return schema.options as readonly string[];
}

/** The comma-separated list in parentheses of an option's help text (what `--help` prints for it). */
function helpList(program: Command, command: string, flag: string): string[] {
  const cmd = program.commands.find((c) => c.name() === command)!;
  const desc = cmd.options.find((o) => o.long === flag)!.description;
  const list = /\((?:comma-separated: )?([^)]*)\)/.exec(desc)![1];
  return list.split(',').map((x) => x.trim());
}

/** value and text of each option of the select with this test id, in order. */
function options(html: string, testId: string): [string, string][] {
  const select = new RegExp(`<select[^>]*data-testid="${testId}"[^>]*>(.*?)</select>`).exec(html)![1];
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>(.*?)<\/option>/g)].map((m) => [m[1], m[2]]);
}

describe('one registry each for strategies, engines and tasks', () => {
  it('the query strategies are the rankings plus diversity', () => {
    expect(STRATEGIES).toEqual(['random', 'least_confidence', 'margin', 'entropy', 'committee', 'diversity']);
    expect(STRATEGIES.slice(0, RANKINGS.length)).toEqual(RANKINGS);
    expect(Object.keys(STRATEGY_TEXT).sort()).toEqual([...STRATEGIES].sort());
    expect(Object.keys(ENGINE_TEXT).sort()).toEqual([...ENGINE_NAMES].sort());
  });

  it("the contract's settings enums are the registries", () => {
    const shape = CONTRACT['settings.set'].input.shape;
    expect(enumOf(shape.strategy)).toEqual(STRATEGIES);
    expect(enumOf(shape.engine)).toEqual(ENGINE_NAMES);
    expect(enumOf(shape.task)).toEqual(TASKS);
  });

  it('the stored settings accept every registered name and refuse others', () => {
    const db = openStore(':memory:');
    for (const strategy of STRATEGIES) expect(updateSettings(db, ':memory:', { strategy }).strategy).toBe(strategy);
    for (const engine of ENGINE_NAMES) expect(updateSettings(db, ':memory:', { engine }).engine).toBe(engine);
    for (const task of TASKS) expect(updateSettings(db, ':memory:', { task }).task).toBe(task);
    expect(() => updateSettings(db, ':memory:', { strategy: 'uncertainty' })).toThrow();
    expect(() => updateSettings(db, ':memory:', { engine: 'xgb' })).toThrow();
    expect(getSettings(db, ':memory:').engine).toBe(ENGINE_NAMES.at(-1));
    db.close();
  });

  it('the simulate grid validates against the registries', () => {
    expect(enumOf(StudySchema.shape.strategies)).toEqual(STRATEGIES);
    expect(enumOf(StudySchema.shape.tasks)).toEqual(TASKS);
    expect(enumOf(EngineChoiceSchema.shape.engine)).toEqual(ENGINE_NAMES);
  });

  it('the CLI help lists the registries', () => {
    // The commands as main.ts registers them (main.ts itself runs the CLI when loaded).
    const program = new Command('finkvra');
    for (const register of [registerRound, registerTrain, registerSimulate]) register(program);
    expect(helpList(program, 'round', '--strategy')).toEqual(STRATEGIES);
    expect(helpList(program, 'round', '--engine')).toEqual(ENGINE_NAMES);
    expect(helpList(program, 'train', '--engine')).toEqual(ENGINE_NAMES);
    expect(helpList(program, 'simulate', '--tasks')).toEqual(TASKS);
  });

  it("the Settings screen's options are the registries, with their display names", async () => {
    // Loaded by name: React's types (DOM) and the screen's JSX belong to the renderer's tsconfig, not this one.
    const load = (name: string): Promise<unknown> => import(name);
    const file = resolve(dirname(fileURLToPath(import.meta.url)), '../../renderer/src/screens/SettingsScreen.tsx');
    const { SettingsScreen } = (await load(file)) as { SettingsScreen: unknown };
    const { createElement } = (await load('react')) as { createElement: (c: unknown, props: object) => unknown };
    const { renderToStaticMarkup } = (await load('react-dom/server')) as { renderToStaticMarkup: (el: unknown) => string };
    const settings: Settings = { task: 'gal', strategy: 'margin', n0: 30, n: 10, engine: 'hgb', seed: 0, night: null, featureSet: 'seed',
      dust: 'auto', labelKeys: { ...DEFAULT_LABEL_KEYS }, cvGroup: 'night', dbPath: ':memory:' };
    const html = renderToStaticMarkup(createElement(SettingsScreen, { settings, onChange: () => undefined }));
    expect(options(html, 'set-strategy')).toEqual(STRATEGIES.map((s) => [s, `${s}: ${STRATEGY_TEXT[s]}`]));
    expect(options(html, 'set-engine')).toEqual(ENGINE_NAMES.map((e) => [e, `${e}: ${ENGINE_TEXT[e]}`]));
    expect(options(html, 'set-task')).toEqual(TASKS.map((t) => [t, `${t}: ${TASK_CLASS_NAMES[t][1]} vs ${TASK_CLASS_NAMES[t][0]}`]));
  });
});
