// A rule's message names fields; a field no rule can fill is refused at load, not printed empty.
import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, TemplateError } from '../../../src/core/alerts/rules/message-template.ts';
import { parseSelector } from '../../../src/core/alerts/rules/series-selector.ts';
import { userRuleFields } from '../../../src/core/alerts/rules/template-fields.ts';

describe('a message template', () => {
  it('fills named fields, and any label through labels.NAME', () => {
    const parts = parseTemplate('{{service}} latency {{ value }} ms > {{threshold}} on {{labels.route}}', ['service', 'value', 'threshold']);
    expect(renderTemplate(parts, { service: 'server', value: '231', threshold: '200' }, { route: '/api' })).toBe('server latency 231 ms > 200 on /api');
    expect(renderTemplate(parts, { service: 'server', value: '231', threshold: '200' }, {})).toBe('server latency 231 ms > 200 on ');
  });

  it('refuses unknown fields, suggesting the nearest', () => {
    expect(() => parseTemplate('{{servce}}', ['service', 'value'])).toThrow(/unknown field \{\{servce\}\} \(did you mean \{\{service\}\}\?\)/);
    expect(() => parseTemplate('{{zzz}}', ['service', 'value'])).toThrow(/fields: \{\{service\}\}, \{\{value\}\}/);
    expect(() => parseTemplate('{{value', ['value'])).toThrow(TemplateError);
    expect(() => parseTemplate('{{ value + 1 }}', ['value'])).toThrow(/not a field name/);
    expect(() => parseTemplate('{{a.b}}', ['a'])).toThrow(/only labels.NAME/);
  });

  it("knows a user rule's fields from its series: Vigil's own labels, its matchers', and its own", () => {
    const disk = userRuleFields(parseSelector('system_disk_used_percent'), {});
    expect(disk).toContain('mount');
    expect(disk).not.toContain('service');
    const scraped = userRuleFields(parseSelector('http_requests_total{route="/x"}'), { team: 'web' });
    expect(scraped).toEqual(expect.arrayContaining(['value', 'threshold', 'service', 'route', 'team']));
  });
});
