import { describe, expect, it } from 'vitest';
import {
  KIND_FIELDS,
  emptyRuleForm,
  formFromRule,
  problemFields,
  ruleCondition,
  ruleFromForm,
  ruleTarget,
  tagChoices,
  withRule,
  withSettings,
  withoutRule,
  type RuleForm,
} from './alarmrules';
import type { AlarmRule } from './api.gen';
import type { ConfigModel } from './types';

const oil: AlarmRule = {
  key: 'press-1-oil-hot',
  name: 'Press 1 oil too hot',
  kind: 'high',
  tag: 'plc/oil',
  limit: 80,
  deadband: 3,
  on_delay_s: 10,
  priority: 'high',
  roles: ['operator', 'maintenance'],
  action: 'Check the cooler',
};

const model: ConfigModel = {
  site: { name: 'Demo', timezone: 'UTC' },
  machines: [{ key: 'press-1', name: 'Press 1' }],
  devices: [
    {
      key: 'plc',
      name: 'Press PLC',
      protocol: 'modbus-tcp',
      tags: [
        { name: 'oil', label: 'Oil temperature', unit: '°C', register: 40001 },
        { name: 'batch', type: 'string', register: 40010, length: 8 },
        { name: 'faults', register: 40002 },
      ],
    },
  ],
  alarms: [oil],
};

const form = (patch: Partial<RuleForm>): RuleForm => ({ ...emptyRuleForm(), ...patch });

describe('the alarm rule form', () => {
  it('gives back the rule it was filled from', () => {
    expect(ruleFromForm(formFromRule(oil))).toEqual({ rule: oil });
  });

  it('writes only the fields of the kind', () => {
    const f = form({
      key: 'plc-down',
      name: 'PLC not answering',
      kind: 'offline',
      tag: 'plc/oil',
      limit: '5',
      device: 'plc',
      after_s: '30',
      roles: ['maintenance', 'operator'],
      action: 'Check the cable',
    });
    expect(ruleFromForm(f)).toEqual({
      rule: {
        key: 'plc-down',
        name: 'PLC not answering',
        kind: 'offline',
        device: 'plc',
        after_s: 30,
        priority: 'medium',
        roles: ['operator', 'maintenance'],
        action: 'Check the cable',
      },
    });
  });

  it('keeps a fault word bit by bit with its texts, leaving out empty rows', () => {
    const f = form({
      key: 'faults',
      name: 'Fault',
      kind: 'bit',
      tag: 'plc/faults',
      bits: [
        { n: '0', text: 'Motor overload ' },
        { n: '', text: '' },
        { n: '3', text: 'Guard door open' },
      ],
    });
    const out = ruleFromForm(f);
    expect('rule' in out && out.rule.bits).toEqual([
      { bit: 0, text: 'Motor overload' },
      { bit: 3, text: 'Guard door open' },
    ]);
    expect('rule' in out && out.rule.values).toBeUndefined();
  });

  it('sends a missing limit as null, so the core says the kind needs it', () => {
    const out = ruleFromForm(form({ key: 'x', name: 'X', kind: 'high', tag: 'plc/oil' }));
    expect('rule' in out && out.rule.limit).toBeNull();
    expect('rule' in out && 'deadband' in out.rule).toBe(false);
  });

  it('refuses what is not a number, naming the field, and takes a decimal comma', () => {
    expect(ruleFromForm(form({ kind: 'high', limit: 'eighty', after_s: 'x' }))).toEqual({
      problems: [{ field: 'limit', message: 'Limit: "eighty" is not a number.' }],
    });
    expect(ruleFromForm(form({ kind: 'stale', after_s: '2.5' }))).toEqual({
      problems: [{ field: 'after_s', message: 'After (seconds): "2.5" is not a whole number.' }],
    });
    const out = ruleFromForm(form({ kind: 'low', limit: '2,5' }));
    expect('rule' in out && out.rule.limit).toBe(2.5);
  });

  it('splits the escalation roles', () => {
    const out = ruleFromForm(form({ escalate_after_min: '15', escalate_to: 'supervisor, admin,' }));
    expect('rule' in out && [out.rule.escalate_after_min, out.rule.escalate_to]).toEqual([15, ['supervisor', 'admin']]);
  });

  it('lists the fields of every kind the core knows', () => {
    expect(Object.keys(KIND_FIELDS).sort()).toEqual(
      ['bit', 'counter_stalled', 'demand', 'high', 'low', 'offline', 'rate', 'stale', 'state', 'stop_without_reason'],
    );
  });
});

describe('rules in the model', () => {
  it('replaces a rule in place, appends a new one and leaves the model given alone', () => {
    const changed = { ...oil, limit: 85 };
    const next = withRule(model, changed, 'press-1-oil-hot');
    expect(next.alarms).toEqual([changed]);
    const added = withRule(model, { ...oil, key: 'second' }, null);
    expect(added.alarms?.map((r) => r.key)).toEqual(['press-1-oil-hot', 'second']);
    expect(model.alarms).toEqual([oil]);
  });

  it('removes a rule, or says there was none', () => {
    expect(withoutRule(model, 'press-1-oil-hot')?.alarms).toEqual([]);
    expect(withoutRule(model, 'nope')).toBeNull();
  });

  it('sets the alarm settings', () => {
    const s = { comment_required: [], shelve_roles: ['admin'], shelve_max_min: 60, digest_at: '07:00' };
    expect(withSettings(model, s).alarm_settings).toEqual(s);
  });

  it('offers the number tags only', () => {
    expect(tagChoices(model)).toEqual([
      { ref: 'plc/oil', label: 'Press PLC · Oil temperature (°C)' },
      { ref: 'plc/faults', label: 'Press PLC · faults' },
    ]);
  });
});

describe('a rule in the list', () => {
  it('says what it watches and when it comes', () => {
    expect(ruleTarget(oil)).toBe('plc/oil');
    expect(ruleCondition(oil)).toBe('above 80, clears at 77 (on-delay 10 s)');
    expect(ruleCondition({ ...oil, kind: 'low', limit: 5, deadband: 1, on_delay_s: 0 })).toBe('below 5, clears at 6');
    expect(
      ruleCondition({ key: 's', name: 'S', kind: 'stop_without_reason', machine: 'press-1', after_min: 20, priority: 'medium' }),
    ).toBe('stopped 20 min with no reason');
    expect(ruleTarget({ key: 's', name: 'S', kind: 'offline', device: 'plc', after_s: 30, priority: 'low' })).toBe('plc');
  });

  it('finds the fields the core names for the rule being saved', () => {
    expect(
      problemFields(
        [
          'alarm "e2e-warm", field "deadband"',
          'alarm "e2e-warm", bit 3',
          'alarm "e2e-warm"',
          'alarm "other", field "limit"',
          'device "plc", field "host"',
        ],
        'e2e-warm',
      ),
    ).toEqual(['deadband', 'bits', 'key']);
  });
});

describe('rule words in Chinese', () => {
  it('follow the user language', async () => {
    const { setLanguage } = await import('./i18n.svelte');
    setLanguage('zh', 'zh-CN');
    try {
      expect(ruleCondition({ key: 'k', name: 'n', kind: 'high', priority: 'high', limit: 80, deadband: 3 })).toBe(
        '高于 80，77 时清除',
      );
    } finally {
      setLanguage('en', 'en-GB');
    }
  });
});
