// Sentences that count two or more things give each number its own singular or plural in English
// ("1 row ready, 2 rows with problems"), and keep the Turkish sentence as it was.
import { createI18n } from '../../server/platform/i18n/i18n';

const { translators } = createI18n();
const { en, tr } = translators;

describe('sentences with several counts', () => {
  it('import previews: each row count reads singular or plural', () => {
    expect(en('coding:codebook_io.preview_title', { ok: 1, bad: 2 })).toBe('Preview: 1 row ready, 2 rows with problems');
    expect(en('coding:codebook_io.preview_title', { ok: 2, bad: 1 })).toBe('Preview: 2 rows ready, 1 row with problems');
    expect(en('coding:codebook_io.preview_title', { ok: 1500, bad: 0 })).toBe('Preview: 1,500 rows ready, 0 rows with problems');
    expect(tr('coding:codebook_io.preview_title', { ok: 1500, bad: 1 })).toBe('Önizleme: 1.500 satır hazır, 1 satırda sorun var');
    expect(en('stakeholders:import.preview_title', { ok: 1, bad: 2 })).toBe('Preview: 1 row ready to add, 2 rows with problems');
    expect(en('stakeholders:import.preview_title', { ok: 2, bad: 1 })).toBe('Preview: 2 rows ready to add, 1 row with problems');
    expect(tr('stakeholders:import.preview_title', { ok: 2, bad: 1 })).toBe('Önizleme: 2 satır eklenmeye hazır, 1 satırda sorun var');
  });

  it('codebook import summary', () => {
    expect(en('coding:codebook_io.imported', { created: 1, updated: 2, unchanged: 1 })).toBe(
      'Codebook imported: 1 new theme, 2 themes updated, 1 theme was already the same.',
    );
    expect(en('coding:codebook_io.imported', { created: 2, updated: 1, unchanged: 2 })).toBe(
      'Codebook imported: 2 new themes, 1 theme updated, 2 themes were already the same.',
    );
    expect(tr('coding:codebook_io.imported', { created: 2, updated: 1, unchanged: 1000 })).toBe(
      'Kod defteri içe aktarıldı: 2 yeni tema, 1 tema güncellendi, 1.000 tema zaten aynıydı.',
    );
  });

  it('proposed groups summary', () => {
    expect(en('coding:groups.summary', { groups: 1, answers: 2, ungrouped: 1 })).toBe('1 group proposed from 2 uncoded answers; 1 answer is close to no group.');
    expect(en('coding:groups.summary', { groups: 2, answers: 1, ungrouped: 2 })).toBe('2 groups proposed from 1 uncoded answer; 2 answers are close to no group.');
    expect(tr('coding:groups.summary', { groups: 2, answers: 1500, ungrouped: 1 })).toBe('Kodlanmamış 1.500 yanıttan 2 grup önerildi; 1 yanıt hiçbir gruba yakın değil.');
  });

  it('privacy erasure and retention totals', () => {
    expect(en('privacy_admin:erase.done', { registrations: 1, invitations: 2, self_registrations: 1, mail: 2 })).toBe(
      'Deleted: 1 meeting sign-up, 2 invitations and 1 institution request anonymised; 2 e-mails deleted or anonymised.',
    );
    expect(en('privacy_admin:erase.done', { registrations: 2, invitations: 1, self_registrations: 2, mail: 1 })).toBe(
      'Deleted: 2 meeting sign-ups, 1 invitation and 2 institution requests anonymised; 1 e-mail deleted or anonymised.',
    );
    expect(tr('privacy_admin:erase.done', { registrations: 2, invitations: 1, self_registrations: 2, mail: 1 })).toBe(
      'Silindi: 2 buluşma kaydı, 1 davet, 2 kurum başvurusu anonimleştirildi; 1 e-posta silindi veya anonimleştirildi.',
    );
    expect(en('privacy_admin:retention.ran', { registrations: 1, invitations: 2, self_registrations: 1, outbox: 2 })).toBe(
      'Anonymised: 1 meeting sign-up, 2 invitations, 1 institution request, 2 e-mails.',
    );
    expect(en('privacy_admin:retention.ran', { registrations: 2, invitations: 1, self_registrations: 2, outbox: 1 })).toBe(
      'Anonymised: 2 meeting sign-ups, 1 invitation, 2 institution requests, 1 e-mail.',
    );
    expect(tr('privacy_admin:retention.ran', { registrations: 1500, invitations: 1, self_registrations: 2, outbox: 1 })).toBe(
      'Anonimleştirildi: 1.500 buluşma kaydı, 1 davet, 2 kurum başvurusu, 1 e-posta.',
    );
  });
});

describe('the double-entry comparison summary', () => {
  it('counts forms and cells each in its own number', () => {
    expect(en('entry_grid:summary', { first: 1, second: 1, agreeing: 1, cells: 0 })).toBe('1 form in the first entry, 1 in the second; 1 form agrees entirely; 0 cells differ.');
    expect(en('entry_grid:summary', { first: 2, second: 2, agreeing: 0, cells: 1 })).toBe('2 forms in the first entry, 2 in the second; 0 forms agree entirely; 1 cell differs.');
    expect(tr('entry_grid:summary', { first: 1500, second: 4, agreeing: 1, cells: 4 })).toBe('Birinci girişte 1.500, ikinci girişte 4 form; 1 form tümüyle aynı; 4 hücrede fark var.');
  });
});
