// Sheets as a person writes them in Excel or KoboToolbox builds them: no paydas column.
import { FIXTURE_SURVEYS } from '../helpers/test-app';
import { loadCatalog, resolveSurvey } from '../../server/surveys/survey-catalog';
import { conditionOf, fromXlsForm, readXlsForm, writeXlsForm, type SheetRows } from '../../server/surveys/xlsform';

const { municipality } = loadCatalog(FIXTURE_SURVEYS);
const meta = { audience: 'citizen', opensAt: '2026-01-01T00:00:00+03:00', closesAt: '2026-12-31T00:00:00+03:00', intro: { tr: 'Giriş' } } as const;
const HEADER = ['type', 'name', 'label', 'label::English (en)', 'hint', 'required', 'relevant', 'constraint', 'appearance'];
/** A survey-sheet row from its first cells; the rest stay empty. */
const row = (...cells: string[]) => [...cells, ...Array<string>(HEADER.length - cells.length).fill('')];

const choices: SheetRows = [
  ['list_name', 'name', 'label', 'label::English (en)'],
  ['cinsiyet', 'kadin', 'Kadın', 'Woman'],
  ['cinsiyet', 'erkek', 'Erkek', 'Man'],
  ['mahalleler', 'merkez', 'Merkez', ''],
  ['mahalleler', 'liman', 'Liman', ''],
  ['ulasim', 'otobus', 'Otobüs', 'Bus'],
  ['ulasim', 'metro', 'Metro', 'Metro'],
  ['oncelikler', 'park', 'Parklar', 'Parks'],
  ['oncelikler', 'yol', 'Yollar', 'Roads'],
  ['oncelikler', 'kutuphane', 'Kütüphane', 'Library'],
  ['puan', '1', 'Çok kötü', 'Very poor'],
  ...['2', '3', '4'].map((n) => ['puan', n, n, '']),
  ['puan', '5', 'Çok iyi', 'Very good'],
  ['memnun', '1', 'Kötü', 'Poor'],
  ['memnun', '2', 'Orta', 'Fair'],
  ['memnun', '3', 'İyi', 'Good'],
  ['memnun', 'na', 'Bilgim yok', "Don't know"],
  ['katilim', 'bilmiyorum', 'Fikrim yok', 'No opinion'],
  ['katilim', 'katiliyorum', 'Katılıyorum', 'Agree'],
  ['katilim', 'kararsizim', 'Kararsızım', 'Undecided'],
  ['katilim', 'katilmiyorum', 'Katılmıyorum', 'Disagree'],
];

const EVERY_TYPE: SheetRows = [
  HEADER,
  row('start', 'start'),
  row('begin_group', 'kisisel', 'Kişisel bilgiler', 'About you'),
  row('note', 'kisisel_not', 'Bu bölüm sizi tanımak için.', 'This section is about you.'),
  row('select_one cinsiyet', 'cinsiyet', 'Cinsiyetiniz', 'Your gender', '', 'yes'),
  row('integer', 'yas', 'Yaşınız', 'Your age', 'Yıl olarak', 'yes', '', '. >= 18 and . <= 99'),
  row('decimal', 'gelir', 'Aylık geliriniz', 'Monthly income', '', '', '', '. >= 0'),
  row('date', 'tarih', 'Taşınma tarihiniz', 'When you moved', '', '', '', ". <= date('2026-12-31')"),
  row('select_one mahalleler', 'mahalle', 'Mahalleniz', 'Your neighbourhood', '', 'yes', '', '', 'minimal'),
  row('end_group', 'kisisel'),
  row('begin_group', 'gorusler', 'Görüşler', 'Views'),
  row('select_multiple ulasim or_other', 'ulasim', 'Ulaşım araçlarınız', 'How you travel', '', '', '', 'count-selected(.) <= 2'),
  row('text', 'metro_yorum', 'Metro hakkında', 'About the metro', '', '', "selected(${ulasim}, 'metro')", 'string-length(.) <= 100'),
  row('text', 'neden', 'Neden?', 'Why?', '', '', "${cinsiyet} = 'kadin' or ${cinsiyet} = 'erkek'", '', 'multiline'),
  row('rank oncelikler', 'oncelik', 'Önceliklerinizi sıralayın', 'Rank your priorities'),
  row('select_one puan', 'puan', 'Belediyeye puanınız', 'Your score', '', 'yes', '', '', 'likert'),
  row('begin_group', 'hizmetler', 'Hizmetlerden memnuniyetiniz', 'Your satisfaction', 'Her satırı yanıtlayın', '', '', '', 'field-list'),
  row('select_one memnun', 'hizmetler_temizlik', 'Temizlik', 'Cleaning', '', 'yes', '', '', 'likert'),
  row('select_one memnun', 'hizmetler_ulasim', 'Ulaşım', 'Transport', '', 'yes', '', '', 'likert'),
  row('end_group', 'hizmetler'),
  row('begin_group', 'tablo', 'Katılıyor musunuz?', 'Do you agree?', '', '', '', '', 'table-list'),
  row('select_one katilim', 'tablo_baslik', '', '', '', '', '', '', 'label'),
  row('select_one katilim', 'park', 'Parklar yeterli', 'Parks are enough', '', '', '', '', 'list-nolabel'),
  row('select_one katilim', 'yol', 'Yollar bakımlı', 'Roads are kept', '', '', '', '', 'list-nolabel'),
  row('end_group', 'tablo'),
  row('end_group', 'gorusler'),
];
const SETTINGS: SheetRows = [['form_title', 'form_id', 'default_language'], ['Mahalle anketi', 'mahalle_anketi', 'Türkçe (tr)']];

describe('importing a hand-written XLSForm', () => {
  it('reads every supported type, a field-list matrix, a KoboToolbox table-list, rank, rating, or_other, relevant, constraints and translations', async () => {
    const sheets = await readXlsForm(await writeXlsForm({ survey: EVERY_TYPE, choices, settings: SETTINGS }));
    const result = fromXlsForm(sheets, meta);
    if (!('survey' in result)) throw new Error(JSON.stringify(result));
    expect(result.approximations).toEqual([{ sheet: 'survey', row: 2, key: 'admin:xlsform.row_dropped', params: { type: 'start' } }]);
    expect(result.survey).toMatchObject({ slug: 'mahalle-anketi', title: { tr: 'Mahalle anketi' }, intro: { tr: 'Giriş' }, audience: 'citizen' });
    const label = (tr: string, en?: string) => (en ? { tr, en } : { tr });
    expect(result.survey.sections).toEqual([
      {
        id: 'kisisel',
        title: label('Kişisel bilgiler', 'About you'),
        intro: label('Bu bölüm sizi tanımak için.', 'This section is about you.'),
        questions: [
          { kind: 'single_choice', id: 'cinsiyet', text: label('Cinsiyetiniz', 'Your gender'), required: true, other: false, options: [{ id: 'kadin', label: label('Kadın', 'Woman') }, { id: 'erkek', label: label('Erkek', 'Man') }] },
          { kind: 'number', id: 'yas', text: label('Yaşınız', 'Your age'), help: label('Yıl olarak'), required: true, integer: true, min: 18, max: 99 },
          { kind: 'number', id: 'gelir', text: label('Aylık geliriniz', 'Monthly income'), required: false, integer: false, min: 0 },
          { kind: 'date', id: 'tarih', text: label('Taşınma tarihiniz', 'When you moved'), required: false, max: '2026-12-31' },
          { kind: 'select', id: 'mahalle', text: label('Mahalleniz', 'Your neighbourhood'), required: true, options: [{ id: 'merkez', label: label('Merkez') }, { id: 'liman', label: label('Liman') }], other: false },
        ],
      },
      {
        id: 'gorusler',
        title: label('Görüşler', 'Views'),
        questions: [
          { kind: 'multiple_choice', id: 'ulasim', text: label('Ulaşım araçlarınız', 'How you travel'), required: false, other: true, maxSelections: 2, options: [{ id: 'otobus', label: label('Otobüs', 'Bus') }, { id: 'metro', label: label('Metro', 'Metro') }] },
          { kind: 'short_text', id: 'metro_yorum', text: label('Metro hakkında', 'About the metro'), required: false, showWhen: { question: 'ulasim', includes: 'metro' }, maxLength: 100 },
          { kind: 'long_text', id: 'neden', text: label('Neden?', 'Why?'), required: false, showWhen: conditionOf("${cinsiyet} = 'kadin' or ${cinsiyet} = 'erkek'"), maxLength: 2000 },
          {
            kind: 'ranking',
            id: 'oncelik',
            text: label('Önceliklerinizi sıralayın', 'Rank your priorities'),
            required: false,
            other: false,
            rankCount: 3,
            items: [{ id: 'park', label: label('Parklar', 'Parks') }, { id: 'yol', label: label('Yollar', 'Roads') }, { id: 'kutuphane', label: label('Kütüphane', 'Library') }],
          },
          { kind: 'rating', id: 'puan', text: label('Belediyeye puanınız', 'Your score'), required: true, scale: '1-5', minLabel: label('Çok kötü', 'Very poor'), maxLabel: label('Çok iyi', 'Very good') },
          {
            kind: 'likert_matrix',
            id: 'hizmetler',
            text: label('Hizmetlerden memnuniyetiniz', 'Your satisfaction'),
            help: label('Her satırı yanıtlayın'),
            required: true,
            rows: [{ id: 'temizlik', label: label('Temizlik', 'Cleaning') }, { id: 'ulasim', label: label('Ulaşım', 'Transport') }],
            scale: [{ value: 1, label: label('Kötü', 'Poor') }, { value: 2, label: label('Orta', 'Fair') }, { value: 3, label: label('İyi', 'Good') }],
            notApplicable: label('Bilgim yok', "Don't know"),
          },
          {
            kind: 'likert_matrix',
            id: 'tablo',
            text: label('Katılıyor musunuz?', 'Do you agree?'),
            required: false,
            rows: [{ id: 'park', label: label('Parklar yeterli', 'Parks are enough') }, { id: 'yol', label: label('Yollar bakımlı', 'Roads are kept') }],
            // Names that are not numbers map to 1..n in list order; "Fikrim yok" becomes the don't-know column wherever it is.
            scale: [{ value: 1, label: label('Katılıyorum', 'Agree') }, { value: 2, label: label('Kararsızım', 'Undecided') }, { value: 3, label: label('Katılmıyorum', 'Disagree') }],
            notApplicable: label('Fikrim yok', 'No opinion'),
          },
        ],
      },
    ]);
    // The same checks as a file in surveys/: conditions refer to earlier questions and their options.
    expect(resolveSurvey(result.survey, municipality)).toHaveProperty('survey');
  });

  it('takes a plain label column as the default language of the settings sheet', () => {
    const result = fromXlsForm(
      {
        SURVEY: [['Type', 'NAME', 'Label', 'Label::Türkçe (tr)'], ['select_one yn', 'onay', 'Do you agree?', 'Onaylıyor musunuz?']],
        Choices: [['LIST_NAME', 'name', 'label', 'label::Türkçe (tr)'], ['yn', 'evet', 'Yes', 'Evet'], ['yn', 'hayir', 'No', 'Hayır']],
        settings: [['form_title', 'form_id', 'default_language'], ['Onay', 'onay', 'English (en)']],
      },
      meta,
    );
    expect(result).toMatchObject({
      approximations: [],
      survey: {
        sections: [
          {
            id: 'main',
            title: { tr: 'Onay' },
            questions: [{ kind: 'single_choice', id: 'onay', text: { tr: 'Onaylıyor musunuz?', en: 'Do you agree?' }, options: [{ id: 'evet', label: { tr: 'Evet', en: 'Yes' } }, { id: 'hayir', label: { tr: 'Hayır', en: 'No' } }] }],
          },
        ],
      },
    });
  });

  it('lists approximations by row: dropped rows, constraints it cannot express, notes after the first, nested groups, required expressions', () => {
    const result = fromXlsForm(
      {
        survey: [
          HEADER,
          row('begin_group', 'g1', 'Bölüm'),
          row('integer', 'yas', 'Yaş', '', '', '', '', '. > 17'),
          row('calculate', 'toplam'),
          row('note', 'not', 'Bilgi'),
          row('begin_group', 'ic', 'İç grup'),
          row('text', 'ad', 'Adınız', '', '', '', '', 'regex(., "^[a-z]+$")'),
          row('end_group', 'ic'),
          row('acknowledge', 'onay', 'Okudum'),
          row('select_one cinsiyet', 'cinsiyet', 'Cinsiyet', '', '', "${yas} > 30"),
          row('end_group', 'g1'),
        ],
        choices,
        settings: SETTINGS,
      },
      meta,
    );
    if (!('survey' in result)) throw new Error(JSON.stringify(result));
    expect(result.approximations.map((a) => [a.row, a.key])).toEqual([
      [3, 'admin:xlsform.constraint_dropped'],
      [4, 'admin:xlsform.row_dropped'],
      [5, 'admin:xlsform.note_dropped'],
      [6, 'admin:xlsform.group_flattened'],
      [7, 'admin:xlsform.constraint_dropped'],
      [9, 'admin:xlsform.row_dropped'],
      [10, 'admin:xlsform.required_expression'],
    ]);
    expect(result.survey.sections[0]!.questions.map((q) => [q.id, q.kind, 'min' in q ? q.min : undefined])).toEqual([
      ['yas', 'number', undefined],
      ['ad', 'short_text', undefined],
      ['cinsiyet', 'single_choice', undefined],
    ]);
  });

  it('refuses rows it cannot express at all, every one by its row, and returns no survey', () => {
    const result = fromXlsForm(
      {
        survey: [
          HEADER,
          row('begin_group', 'g1', 'Bölüm'),
          row('calculate', 'toplam'),
          row('select_one cinsiyet', 'a', 'A', '', '', '', "${yas} > 30"),
          row('geopoint', 'konum', 'Konum'),
          row('select_one_from_file okullar.csv', 'okul', 'Okul'),
          row('select_one yok', 'b', 'B'),
          row('begin_repeat', 'cocuk', 'Çocuklar'),
          row('text', 'cocuk_adi', 'Adı'),
          row('end_repeat', 'cocuk'),
          row('end_group', 'g1'),
        ],
        choices,
        settings: SETTINGS,
      },
      meta,
    );
    expect(result).not.toHaveProperty('survey');
    expect('problems' in result && result.problems.map((p) => [p.row, p.key, p.params])).toEqual([
      [4, 'admin:xlsform.relevant_unsupported', { expression: '${yas} > 30' }],
      [5, 'admin:xlsform.type_unsupported', { type: 'geopoint' }],
      [6, 'admin:xlsform.type_unsupported', { type: 'select_one_from_file' }],
      [7, 'admin:xlsform.list_missing', { list: 'yok' }],
      [8, 'admin:xlsform.repeat_unsupported', undefined],
    ]);
  });

  it('reports what the schema refuses at the row it comes from', () => {
    const result = fromXlsForm({ survey: [HEADER, row('begin_group', 'g1', 'Bölüm'), row('text', 'Kötü Ad', 'Ad'), row('end_group')], choices, settings: SETTINGS }, meta);
    expect(result).toMatchObject({ problems: [{ sheet: 'survey', row: 3, key: 'admin:xlsform.invalid', params: { path: '$.sections[0].questions[0].id' } }] });
  });
});
