// The audit log in words: each entry a sentence in the reader's language, linking what it names.
import { describeAuditEvent, factLabel, factValue, plainAddress } from '../../server/admin/audit-entry';
import type { AuditEvent } from '../../server/platform/audit/audit.repository';
import { createI18n } from '../../server/platform/i18n/i18n';

const i18n = createI18n();
const tr = i18n.translators.tr!;
const en = i18n.translators.en!;
const names = new Map([[7, 'Ayşe Planlamacı']]);
const event = (over: Partial<AuditEvent>): AuditEvent => ({ id: 1, at: '2026-11-21T07:00:00.000Z', userId: 7, actor: 'ayse@example.org', action: 'logout', target: null, details: null, ip: null, ...over });

describe('describeAuditEvent', () => {
  it('writes an exclusion as a sentence naming the planner, with links to the survey and the response', () => {
    const line = describeAuditEvent(event({ action: 'response.excluded', target: 'vatandas-anketi#74936', details: { reason: 'duplicate', note: null }, ip: '::ffff:127.0.0.1' }), tr, names);
    expect(line.html).toBe(
      'Ayşe Planlamacı, <a href="/admin/surveys/vatandas-anketi">vatandas-anketi</a> anketindeki <a href="/admin/surveys/vatandas-anketi/responses/74936">#74936</a> yanıtını hariç tuttu',
    );
    expect(line.facts).toEqual([
      { label: 'Gerekçe', value: 'Mükerrer' },
      { label: 'Not', value: '—' },
    ]);
    expect(line.ip).toBe('127.0.0.1');
    expect(describeAuditEvent(event({ action: 'response.excluded', target: 'vatandas-anketi#74936' }), en, names).html).toBe(
      'Ayşe Planlamacı excluded response <a href="/admin/surveys/vatandas-anketi/responses/74936">#74936</a> in the survey <a href="/admin/surveys/vatandas-anketi">vatandas-anketi</a>',
    );
  });

  it('links meetings by their title and invitations to their survey, and leaves out what the sentence says', () => {
    expect(describeAuditEvent(event({ action: 'meeting.created', target: 'meeting:12', details: { title: 'Cami Mah. buluşması' } }), tr, names)).toEqual({
      html: 'Ayşe Planlamacı, <a href="/admin/meetings/12">Cami Mah. buluşması</a> buluşmasını oluşturdu',
      facts: [],
      ip: null,
    });
    const revoked = describeAuditEvent(event({ action: 'invitation.revoked', target: 'Su İdaresi', details: { survey: 'kurum-anketi' } }), tr, names);
    expect(revoked.html).toBe('Ayşe Planlamacı, Su İdaresi kurumunun <a href="/admin/surveys/kurum-anketi">kurum-anketi</a> anketi davetini iptal etti');
    expect(revoked.facts).toEqual([]);
  });

  it('writes a change of access-code mode in words, never as raw ids', () => {
    const changed = event({ action: 'survey.access_mode_changed', target: 'vatandas-anketi', details: { from: 'none', to: 'required' } });
    const trLine = describeAuditEvent(changed, tr, names);
    expect(trLine.html).toBe('Ayşe Planlamacı, <a href="/admin/surveys/vatandas-anketi">vatandas-anketi</a> anketinin erişim kodu biçimini “Kod yok” yerine “Kod zorunlu” yaptı');
    expect(trLine.facts).toEqual([]);
    const enLine = describeAuditEvent({ ...changed, details: { from: 'optional', to: 'none' } }, en, names);
    expect(enLine.html).toBe('Ayşe Planlamacı changed how the survey <a href="/admin/surveys/vatandas-anketi">vatandas-anketi</a> uses access codes from “Code optional” to “No code”');
    expect(enLine.facts).toEqual([]);
    // An unknown mode is not guessed at: the entry falls back to its label and what it holds.
    expect(describeAuditEvent({ ...changed, details: { from: 'none', to: 'weird' } }, en, names).html).toBe('Ayşe Planlamacı: Survey access mode changed');
  });

  it('names the system and the tried address when no user acted', () => {
    expect(describeAuditEvent(event({ userId: null, actor: 'system', action: 'invitation.reminded', target: 'Su İdaresi', details: { survey: 'k', automatic: true } }), tr, names).html).toMatch(/^Sistem, Su İdaresi kurumuna/);
    expect(describeAuditEvent(event({ userId: null, actor: 'kotu@example.org', action: 'login.failed' }), tr, names).html).toBe('kotu@example.org adresiyle hatalı giriş denendi');
  });

  it('writes an action without a sentence as its label and a key/value list, never JSON', () => {
    const line = describeAuditEvent(event({ action: 'stakeholder.merged', target: 'Su İdaresi', details: { kept: 3, merged: [4, 5], moved: { invitations: 2 }, dry: false } }), tr, names);
    expect(line.html).toBe('Ayşe Planlamacı: Paydaş birleştirme');
    expect(line.facts).toEqual([
      { label: 'Hedef', value: 'Su İdaresi' },
      { label: 'Korunan', value: '3' },
      { label: 'Birleştirilen', value: '4, 5' },
      { label: 'Taşınan', value: 'Davetler: 2' },
      { label: 'dry', value: 'hayır' },
    ]);
    expect([line.html, ...line.facts.map((f) => f.value)].join(' ')).not.toMatch(/[{}"]/);
    // An entry that lacks what its sentence names falls back too, rather than printing a hole.
    expect(describeAuditEvent(event({ action: 'response.excluded', target: 'bozuk' }), tr, names).html).toBe('Ayşe Planlamacı: Yanıtı hariç tutma');
    expect(describeAuditEvent(event({ action: 'made.up' }), en, names).html).toBe('Ayşe Planlamacı: made.up');
  });

  it('escapes every name, target and detail', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const line = describeAuditEvent(event({ userId: null, actor: evil, action: 'meeting.cancelled', target: 'meeting:3', details: { title: evil } }), tr, names);
    expect(line.html).not.toContain('<img');
    expect(line.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const survey = describeAuditEvent(event({ action: 'survey.closed', target: '"><script>x</script>' }), tr, names);
    expect(survey.html).not.toContain('<script>');
    expect(survey.html).toContain('href="/admin/surveys/%22%3E%3Cscript%3Ex%3C%2Fscript%3E"');
  });
});

describe('plainAddress and factValue', () => {
  it('writes IPv4 addresses seen through IPv6 in their plain form and leaves others alone', () => {
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(plainAddress('::FFFF:10.0.0.2')).toBe('10.0.0.2');
    expect(plainAddress('2001:db8::1')).toBe('2001:db8::1');
    expect(plainAddress('203.0.113.5')).toBe('203.0.113.5');
    expect(plainAddress(null)).toBeNull();
  });

  it('writes flags, lists and empty values in words', () => {
    expect(factValue(true, en)).toBe('yes');
    expect(factValue([], tr)).toBe('');
    expect(factValue(null, tr)).toBe('—');
    expect(factValue({ from: 'planner', to: 'admin' }, en)).toBe('From: planner; To: admin');
  });

  it('writes detail keys and coded values in the reader\'s language, never as codes', () => {
    expect(factLabel('language', tr)).toBe('Dil');
    expect(factValue('tr', tr, 'language')).toBe('Türkçe');
    expect(factValue('tr', en, 'language')).toBe('Turkish');
    expect(factValue('en', tr, 'language')).toBe('İngilizce');
    expect(factValue('paper', en, 'channel')).toBe('Paper questionnaire');
    expect(factValue('planner', tr, 'role')).toBe(tr('admin:roles.planner'));
    expect(factValue('xlsx', en, 'format')).toBe('XLSX');
    expect(factValue({ role: 'admin', language: 'en' }, en)).toBe(`Role: ${en('admin:roles.admin')}; Language: English`);
    // A code without words stays as it is rather than becoming a key.
    expect(factValue('made_up', en, 'reason')).toBe('made_up');
    const line = describeAuditEvent(event({ action: 'export.downloaded', target: 'vatandas-anketi', details: { format: 'csv', what: 'responses' } }), en, names);
    expect(line.facts.map((f) => f.label)).toEqual(['Target', 'Format', 'What']);
    expect(line.facts[1]!.value).toBe('CSV');
  });
});
