// A demo consultation for the bundled Yeşilvadi surveys, so a planner opening /admin/report on a
// fresh install sees every table and figure filled. Everything goes through the features' own
// services (sign-ups, invitations, the section flow institutions answer through, coding), placed
// in time between the surveys' opening and `now`; the same seed gives the same data. Only link
// tokens are random: they are secrets, not content.
import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import { accountService } from '../admin';
import * as userRepository from '../admin/user.repository';
import * as codingService from '../analysis/coding/coding.service';
import { codingRepository, suggestThemes, type Theme } from '../analysis/coding';
import type { SwotKind } from '../analysis/coding/coding.table';
import * as activityRepository from '../analysis/report/activity.repository';
import * as findingRepository from '../analysis/report/finding.repository';
import { meetingRepository, meetingService } from '../meetings';
import type { MeetingInput } from '../meetings/meeting.repository';
import { normalizePhone } from '../meetings/meeting-rules';
import { invitationRepository, invitationService } from '../opinions';
import * as audit from '../platform/audit/audit.repository';
import type { Actor } from '../platform/audit/audit.repository';
import type { Db } from '../platform/db/connection';
import type { Database } from '../platform/db/database';
import { isLanguage, type I18n } from '../platform/i18n/i18n';
import { localize } from '../platform/i18n/localize';
import { dateFormatters } from '../platform/http/locals';
import type { Mailer } from '../platform/mail/mailer';
import { foldTurkish } from '../platform/text';
import { hashToken, newToken } from '../platform/tokens';
import { stakeholderRepository, stakeholderService, type StakeholderInput } from '../stakeholders';
import { allQuestions, describeResponse, qualityService, responseRepository, type AnswerRow, type FormFields, type ResponseChannel, type Survey, type SurveyCatalog } from '../surveys';
import { submitSection } from '../surveys/response.service';
import { setExcluded } from '../surveys/survey-admin.service';
import { sectionFieldNames } from '../surveys/survey-flow';
import { insertSyntheticResponses, randomSource, syntheticFields } from '../surveys/synthetic-responses';
import { reviewDemoSwot } from './demo-swot-review';

export const CITIZEN_SURVEY = 'vatandas-anketi';
export const INSTITUTION_FORM = 'kurum-gorus-formu';
/** Meetings, invitations and answers need room: the surveys must have been open this long. */
export const MIN_DAYS_OPEN = 14;
const DAY_MS = 24 * 60 * 60 * 1000;
const actor: Actor = { userId: null, email: 'demo-data', ip: null };

export interface DemoOptions {
  now: Date;
  /** Complete citizen responses that count in the results (excluded and drafts come on top). */
  citizenResponses?: number;
  seed?: number;
  mailer: Mailer;
  baseUrl: string;
  /** The site's secret: institutions' drafts and residents' links are derived from it. */
  secret: string;
  /** For the copy of the answers in institutions' receipts. */
  i18n: I18n;
  timeZone: string;
}

export interface DemoSummary {
  municipality: string;
  /** ISO instants: the consultation runs from the surveys' opening to `now`. */
  from: string;
  to: string;
  stakeholders: number;
  invitations: number;
  answered: number;
  revoked: number;
  citizenResponses: number;
  drafts: number;
  excluded: number;
  themes: number;
  codedAnswers: number;
  institutionThemes: number;
  activities: number;
  meetingsHeld: number;
  meetingsCancelled: number;
  registrations: number;
  attendees: number;
  requests: number;
  findings: number;
  /** GZFT candidate statements reviewed (accepted, merged or edited) for T16. */
  swotReviewed: number;
  /** E-mails written to the outbox (invitations, receipts, sign-up confirmations…). */
  mails: number;
}

export type DemoOutcome =
  | { kind: 'seeded'; summary: DemoSummary }
  /** The database holds real data: the demo never mixes with it. */
  | { kind: 'data_exists'; stakeholders: number; responses: number; meetings: number }
  /** SURVEYS_DIR is not the bundled demo (a survey, activity area or mahalle is missing). */
  | { kind: 'not_bundled'; missing: string[] }
  | { kind: 'too_early'; opensAt: string; readyAt: string };

// The register. Önem/etki spread over all four categories at the default threshold of 3.

type Key =
  | 'fen'
  | 'meclis'
  | 'kaymakamlik'
  | 'mem'
  | 'universite'
  | 'mimarlar'
  | 'imo'
  | 'tso'
  | 'yesilDoga'
  | 'engelsiz'
  | 'cumhuriyetMuhtar'
  | 'gaziMuhtar'
  | 'kentKonseyi'
  | 'ulasim'
  | 'gazete'
  | 'genclik'
  | 'emekliler'
  | 'kooperatif';

const entry = (input: Omit<StakeholderInput, 'language' | 'contactPerson'> & { contactPerson?: string }): StakeholderInput => ({
  language: 'tr',
  ...input,
  contactPerson: input.contactPerson ?? null,
});

const STAKEHOLDERS: Record<Key, StakeholderInput> = {
  fen: entry({
    name: 'Fen İşleri Müdürlüğü',
    group: 'kamu',
    scope: 'internal',
    type: 'temel_ortak',
    emails: ['fenisleri@yesilvadi.example.org'],
    contactPerson: 'Hakan Öztürk (Müdür)',
    areas: ['yol_altyapi', 'imar_sehircilik', 'afet_acil_durum'],
    reason: 'Yol, altyapı ve yapım işlerini yürütür; plan döneminin en büyük yatırım payı bu birimdedir.',
    importance: 5,
    influence: 5,
  }),
  meclis: entry({
    name: 'Yeşilvadi Belediye Meclisi',
    group: 'kamu',
    scope: 'internal',
    type: 'temel_ortak',
    emails: ['meclis@yesilvadi.example.org'],
    areas: ['imar_sehircilik', 'sosyal_hizmetler', 'halkla_iliskiler'],
    reason: 'Stratejik planı görüşüp kabul eden karar organıdır (5393 sayılı Kanun md. 18).',
    importance: 5,
    influence: 5,
  }),
  kaymakamlik: entry({
    name: 'Yeşilvadi Kaymakamlığı',
    group: 'kamu',
    scope: 'external',
    type: 'stratejik_ortak',
    emails: ['yaziisleri@kaymakamlik.example.org'],
    areas: ['afet_acil_durum', 'sosyal_hizmetler', 'zabita_denetim'],
    reason: 'İlçedeki kamu hizmetlerinin eşgüdümünü ve afet yönetimini yürütür.',
    importance: 4,
    influence: 5,
  }),
  mem: entry({
    name: 'Yeşilvadi İlçe Milli Eğitim Müdürlüğü',
    group: 'kamu',
    scope: 'external',
    type: 'stratejik_ortak',
    emails: ['ilcemem@meb.example.org'],
    areas: ['egitim_destek', 'spor', 'kultur_sanat'],
    reason: 'Okul çevresi güvenliği, eğitim destek ve gençlik hizmetlerinde ortak çalışılır.',
    importance: 4,
    influence: 3,
  }),
  universite: entry({
    name: 'Yeşilvadi Üniversitesi',
    group: 'universite',
    scope: 'external',
    type: 'stratejik_ortak',
    emails: ['strateji@universite.example.org'],
    contactPerson: 'Doç. Dr. Selin Aydın (Strateji Koordinatörü)',
    areas: ['cevre_iklim', 'afet_acil_durum', 'dijital_hizmetler', 'egitim_destek'],
    reason: 'Bilimsel danışmanlık, veri ve ortak proje kapasitesi; görüşü 5393 sayılı Kanun md. 41 gereği alınır.',
    importance: 5,
    influence: 4,
  }),
  mimarlar: entry({
    name: 'TMMOB Mimarlar Odası Yeşilvadi Temsilciliği',
    group: 'meslek_odasi',
    scope: 'external',
    type: 'stratejik_ortak',
    emails: ['yesilvadi@mimarlarodasi.example.org'],
    areas: ['imar_sehircilik', 'afet_acil_durum'],
    reason: 'İmar planları, kentsel tasarım ve kentsel dönüşümde meslek odası görüşü.',
    importance: 4,
    influence: 3,
  }),
  imo: entry({
    name: 'TMMOB İnşaat Mühendisleri Odası Yeşilvadi Şubesi',
    group: 'meslek_odasi',
    scope: 'external',
    type: null,
    emails: ['sube@imo.example.org'],
    areas: ['yol_altyapi', 'afet_acil_durum'],
    reason: 'Yapı güvenliği ve altyapı projelerinde teknik görüş.',
    importance: 3,
    influence: 2,
  }),
  tso: entry({
    name: 'Yeşilvadi Ticaret ve Sanayi Odası',
    group: 'meslek_odasi',
    scope: 'external',
    type: 'stratejik_ortak',
    emails: ['genelsekreterlik@tso.example.org'],
    areas: ['ulasim_trafik', 'zabita_denetim', 'imar_sehircilik'],
    reason: 'İlçe ekonomisinin ve 3.200 üyesinin temsilcisi.',
    importance: 3,
    influence: 4,
  }),
  yesilDoga: entry({
    name: 'Yeşil Doğa ve Çevre Derneği',
    group: 'stk',
    scope: 'external',
    type: 'hizmet_alan',
    emails: ['iletisim@yesildoga.example.org'],
    areas: ['cevre_iklim', 'park_bahce'],
    reason: 'Kent ağaçları ve dere koruma kampanyalarıyla kamuoyunu etkiler.',
    importance: 2,
    influence: 4,
  }),
  engelsiz: entry({
    name: 'Engelsiz Yaşam Derneği',
    group: 'stk',
    scope: 'external',
    type: 'hizmet_alan',
    emails: ['dernek@engelsizyasam.example.org'],
    areas: ['engelli_yasli_kadin', 'sosyal_hizmetler', 'yol_altyapi'],
    reason: 'Engelli bireylerin erişim ihtiyaçlarını en iyi bilen kuruluş.',
    importance: 4,
    influence: 2,
  }),
  cumhuriyetMuhtar: entry({
    name: 'Cumhuriyet Mahallesi Muhtarlığı',
    group: 'muhtarlik',
    scope: 'external',
    type: 'hizmet_alan',
    emails: ['cumhuriyet.muhtarligi@example.org'],
    areas: ['temizlik_atik', 'yol_altyapi', 'sosyal_hizmetler'],
    reason: 'İlçenin en kalabalık mahallesinin seçilmiş yöneticisi.',
    importance: 3,
    influence: 3,
  }),
  gaziMuhtar: entry({
    name: 'Gazi Mahallesi Muhtarlığı',
    group: 'muhtarlik',
    scope: 'external',
    type: 'hizmet_alan',
    emails: ['gazi.muhtarligi@example.org'],
    areas: ['park_bahce', 'ulasim_trafik'],
    reason: 'Kentsel dönüşüm alanındaki mahallenin talepleri.',
    importance: 2,
    influence: 2,
  }),
  kentKonseyi: entry({
    name: 'Yeşilvadi Kent Konseyi',
    group: 'kent_konseyi',
    scope: 'external',
    type: 'stratejik_ortak',
    emails: ['sekreterya@kentkonseyi.example.org'],
    areas: ['halkla_iliskiler', 'sosyal_hizmetler', 'kultur_sanat'],
    reason: 'Katılımcı yönetimin yasal platformu (5393 sayılı Kanun md. 76).',
    importance: 4,
    influence: 4,
  }),
  ulasim: entry({
    name: 'Vadi Ulaşım A.Ş.',
    group: 'ozel_sektor',
    scope: 'external',
    type: 'tedarikci',
    emails: ['info@vadiulasim.example.org'],
    areas: ['ulasim_trafik'],
    reason: 'Toplu taşıma hatlarını işleten yüklenici firma.',
    importance: 2,
    influence: 3,
  }),
  gazete: entry({
    name: 'Yeşilvadi Haber Gazetesi',
    group: 'medya',
    scope: 'external',
    type: null,
    emails: ['haber@yesilvadihaber.example.org'],
    areas: ['halkla_iliskiler', 'kultur_sanat'],
    reason: 'Yerel kamuoyunu bilgilendiren yayın organı.',
    importance: 2,
    influence: 3,
  }),
  genclik: entry({
    name: 'Yeşilvadi Gençlik Platformu',
    group: 'vatandas_grubu',
    scope: 'external',
    type: 'hizmet_alan',
    emails: [],
    areas: ['spor', 'kultur_sanat', 'egitim_destek'],
    reason: '18-29 yaş gençlerin görüşlerini ileten gönüllü grup.',
    importance: 3,
    influence: 2,
  }),
  emekliler: entry({
    name: 'Emekliler Dayanışma Grubu',
    group: 'vatandas_grubu',
    scope: 'external',
    type: 'hizmet_alan',
    emails: [],
    areas: ['engelli_yasli_kadin', 'sosyal_hizmetler'],
    reason: 'Yaşlı nüfusun sosyal hizmet beklentileri.',
    importance: 2,
    influence: 1,
  }),
  kooperatif: entry({
    name: 'Yeşilvadi Kadın Girişimi Üretim ve İşletme Kooperatifi',
    group: 'diger',
    scope: 'external',
    type: 'hizmet_alan',
    emails: ['kooperatif@kadingirisimi.example.org'],
    areas: ['engelli_yasli_kadin', 'sosyal_hizmetler', 'kultur_sanat'],
    reason: 'Kadın istihdamı ve yerel üretim.',
    importance: 3,
    influence: 2,
  }),
};

/** Invited to the opinion form, in this order; the newspaper's invitation is revoked. */
const INVITED: Key[] = ['kaymakamlik', 'universite', 'mimarlar', 'imo', 'tso', 'yesilDoga', 'engelsiz', 'cumhuriyetMuhtar', 'gaziMuhtar', 'kentKonseyi', 'ulasim', 'kooperatif', 'gazete'];
const REVOKED: Key = 'gazete';
const REMINDED: Key[] = ['kaymakamlik', 'kooperatif'];

const likert = (values: number[]): FormFields =>
  Object.fromEntries(['adil', 'seffaf', 'guvenilir', 'yenilikci', 'erisilebilir', 'katilimci', 'cevreye_duyarli', 'hizli_hizmet'].map((row, i) => [`belediye_imaji.${row}`, String(values[i] ?? 3)]));
const ranked = (a: string, b: string, c: string): FormFields => ({ 'oncelikli_alanlar.1': a, 'oncelikli_alanlar.2': b, 'oncelikli_alanlar.3': c });

/** What the institutions that answer write (their type comes from the register). */
const OPINIONS: Partial<Record<Key, FormFields>> = {
  universite: {
    formu_dolduran_birim: 'Strateji Geliştirme Koordinatörlüğü',
    uye_calisan_sayisi: '2350',
    kurulus_tarihi: '1992-07-03',
    ortak_calisma: 'evet_duzenli',
    ortak_calisma_konusu: 'Kent Bilgi Sistemi için mahalle bazında nüfus ve yapı verisinin hazırlanması; her yıl Deprem Haftası etkinlikleri.',
    isbirligi_puani: '8',
    guclu_yonler: 'Genç ve eğitimli nüfus\nBelediyenin veriye dayalı planlamaya açık olması\nSosyal hizmetlerde yaygın mahalle örgütlenmesi',
    zayif_yonler: 'Projelerin izlenmesinde ölçülebilir göstergelerin az olması\nDijital hizmetlerin birbirinden kopuk olması\nKurumlar arası veri paylaşımının sınırlı kalması',
    firsatlar: 'AB ve kalkınma ajansı hibe programları\nÜniversitenin afet ve iklim araştırma merkezleri\nAkıllı şehir uygulamalarına yönelik ulusal destekler',
    tehditler: 'Deprem riski ve eski yapı stoku\nİklim değişikliğine bağlı sel ve aşırı sıcaklar\nHızlı ve plansız yapılaşma',
    ...ranked('afet_acil_durum', 'cevre_iklim', 'dijital_hizmetler'),
    beklentiler: 'Afet risk azaltma planının üniversiteyle birlikte hazırlanması; kent verilerinin açık veri olarak paylaşılması. İletişim: strateji@universite.example.org',
    isbirligi_alanlari: ['ortak_proje', 'teknik_danismanlik', 'veri_paylasimi'],
    ortak_proje_onerisi: 'Mahalle ölçeğinde deprem risk haritası ve bina envanteri.',
    ...likert([4, 3, 4, 4, 3, 4, 4, 3]),
  },
  mimarlar: {
    formu_dolduran_birim: 'Temsilcilik Yürütme Kurulu',
    uye_calisan_sayisi: '410',
    ortak_calisma: 'evet_birkac_kez',
    ortak_calisma_konusu: 'Tarihi çarşı sokak sağlıklaştırma projesine danışmanlık.',
    isbirligi_puani: '6',
    guclu_yonler: 'Tarihi çarşı ve sivil mimarlık örnekleri\nBelediyenin imar süreçlerinde odaya danışması',
    zayif_yonler: 'İmar planı değişikliklerinin sık ve parçacıl yapılması\nKamusal alan tasarımında bütüncül yaklaşım eksikliği\nRuhsat süreçlerinin uzunluğu',
    firsatlar: 'Kentsel dönüşümün yaşam kalitesini artıracak biçimde planlanabilmesi\nTarihi çarşının turizme kazandırılması',
    tehditler: 'Deprem riski taşıyan yoğun yapı stoku\nRant odaklı dönüşüm baskısı\nYeşil alanların yapılaşmaya açılması',
    ...ranked('imar_sehircilik', 'afet_acil_durum', 'park_bahce'),
    beklentiler: 'Kentsel dönüşüm projelerinde tasarım yarışmaları açılması ve odanın jüri süreçlerine katılması; imar değişikliklerinin önceden kamuoyuyla paylaşılması.',
    isbirligi_alanlari: ['teknik_danismanlik', 'egitim_seminer'],
    ...likert([3, 2, 3, 3, 3, 2, 3, 3]),
  },
  imo: {
    formu_dolduran_birim: 'Şube Yönetim Kurulu',
    ortak_calisma: 'hayir',
    isbirligi_puani: '5',
    guclu_yonler: 'Altyapı yatırımlarında son yıllarda gözle görülür artış',
    zayif_yonler: 'Yol ve kaldırım yapımında kalite denetiminin yetersizliği\nAltyapı kazılarında kurumlar arası koordinasyon eksikliği',
    firsatlar: 'Altyapı kurumlarının kazılarını birlikte planlama olanağı (AYKOME)',
    tehditler: 'Deprem riski\nZemin sıvılaşması riski taşıyan dere yatakları',
    ...ranked('yol_altyapi', 'afet_acil_durum', 'imar_sehircilik'),
    beklentiler: 'Yapı stokunun deprem performansının mahalle mahalle taranması ve sonuçların yayımlanması.',
    isbirligi_alanlari: ['teknik_danismanlik', 'egitim_seminer', 'veri_paylasimi'],
  },
  tso: {
    formu_dolduran_birim: 'Genel Sekreterlik',
    uye_calisan_sayisi: '3200',
    kurulus_tarihi: '1958-01-01',
    ortak_calisma: 'evet_birkac_kez',
    ortak_calisma_konusu: 'Esnaf bilgilendirme toplantıları ve çarşı aydınlatma projesi.',
    isbirligi_puani: '7',
    guclu_yonler: 'Esnafla iletişimin güçlü olması\nSemt pazarlarının düzenli işletilmesi',
    zayif_yonler: 'Çarşı bölgesinde otopark yetersizliği\nRuhsat ve denetim süreçlerinde bürokrasi',
    firsatlar: 'Organize sanayi bölgesinin genişlemesi\nKalkınma ajansının KOBİ destekleri\nÇevre yolunun tamamlanması',
    tehditler: 'Ekonomik daralma ve kira artışları\nAlışveriş merkezlerinin yerel esnafı zorlaması',
    ...ranked('ulasim_trafik', 'zabita_denetim', 'dijital_hizmetler'),
    beklentiler: 'Çarşı bölgesine katlı otopark yapılması; ruhsat işlemlerinin tamamen elektronik ortama taşınması.',
    isbirligi_alanlari: ['ortak_proje', 'sponsorluk'],
    ortak_proje_onerisi: 'Tarihi çarşının açık hava alışveriş merkezi olarak tanıtılması.',
    ...likert([4, 3, 4, 3, 4, 3, 3, 3]),
  },
  yesilDoga: {
    formu_dolduran_birim: 'Dernek Yönetim Kurulu',
    uye_calisan_sayisi: '180',
    kurulus_tarihi: '2009-04-22',
    ortak_calisma: 'evet_duzenli',
    ortak_calisma_konusu: 'Her yıl fidan dikim şenliği ve dere temizliği.',
    isbirligi_puani: '7',
    guclu_yonler: 'Ağaçlandırma kampanyalarına belediyenin destek vermesi',
    zayif_yonler: 'Kişi başına düşen yeşil alanın az olması\nDere yataklarının bakımsız kalması\nAtıkların kaynağında ayrıştırılmaması',
    firsatlar: 'Sıfır Atık projesi destekleri\nİklim eylem planı için hibe programları',
    tehditler: 'İklim değişikliğine bağlı kuraklık ve orman yangınları\nYeşil alanların yapılaşmaya açılması',
    ...ranked('cevre_iklim', 'park_bahce', 'temizlik_atik'),
    beklentiler: 'İlçe iklim eylem planının hazırlanması; dere yataklarının rehabilite edilerek rekreasyon alanına dönüştürülmesi.',
    isbirligi_alanlari: ['gonullu_destegi', 'egitim_seminer'],
    ...likert([3, 3, 3, 3, 4, 3, 2, 3]),
  },
  engelsiz: {
    formu_dolduran_birim: 'Dernek Başkanlığı',
    uye_calisan_sayisi: '260',
    ortak_calisma: 'evet_birkac_kez',
    ortak_calisma_konusu: 'Engelliler Haftası etkinlikleri.',
    isbirligi_puani: '6',
    guclu_yonler: 'Engelli bireylere evde bakım ve ulaşım desteği verilmesi',
    zayif_yonler: 'Kaldırımların ve kamu binalarının erişilebilir olmaması\nİşaret dili bilen personel eksikliği\nWeb sitesinin ekran okuyucularla kullanılamaması',
    firsatlar: 'Erişilebilirlik mevzuatındaki yeni düzenlemeler\nAile ve Sosyal Hizmetler Bakanlığı proje destekleri',
    tehditler: 'Afet anında engelli bireylerin tahliyesi için plan bulunmaması',
    ...ranked('engelli_yasli_kadin', 'yol_altyapi', 'sosyal_hizmetler'),
    beklentiler: 'Kaldırım ve bina erişilebilirliği için ilçe çapında denetim; afet planlarına engelli bireylerin dahil edilmesi. Dernek başkanımıza 0 (312) 000 45 67 numarasından ulaşabilirsiniz.',
    isbirligi_alanlari: ['veri_paylasimi', 'egitim_seminer', 'other'],
    'isbirligi_alanlari.other': 'Erişilebilirlik denetimlerine gönüllü engelli uzman katılımı',
    ...likert([3, 3, 3, 2, 2, 3, 3, 2]),
  },
  cumhuriyetMuhtar: {
    ortak_calisma: 'evet_duzenli',
    ortak_calisma_konusu: 'Ramazan kolisi dağıtımı ve yaşlı ziyaretleri.',
    isbirligi_puani: '9',
    guclu_yonler: 'Çöp toplama ve temizlik ekiplerinin hızlı dönüş yapması',
    zayif_yonler: 'Mahallede çocuk parkı ve yeşil alan az\nAra sokaklarda asfalt ve kaldırım sorunları',
    firsatlar: 'Mahalle sakinlerinin gönüllü çalışmalara istekli olması',
    tehditler: 'Eski binalar ve deprem riski\nNüfusun hızla artması',
    ...ranked('yol_altyapi', 'park_bahce', 'temizlik_atik'),
    beklentiler: 'Mahalleye bir semt parkı ile kadın ve çocuk merkezi yapılması; muhtarlıkla aylık koordinasyon toplantıları.',
    isbirligi_alanlari: ['gonullu_destegi', 'other'],
    'isbirligi_alanlari.other': 'Duyuruların muhtarlık panosunda paylaşılması (muhtar: 0532 000 11 22)',
  },
  kentKonseyi: {
    formu_dolduran_birim: 'Kent Konseyi Yürütme Kurulu',
    uye_calisan_sayisi: '95',
    kurulus_tarihi: '2007-10-15',
    ortak_calisma: 'evet_duzenli',
    ortak_calisma_konusu: 'Kent konseyi genel kurulları ve çalışma grupları.',
    isbirligi_puani: '8',
    guclu_yonler: 'Katılımcı bütçe denemeleri\nKent konseyi meclislerinin (kadın, gençlik, engelli) etkin olması',
    zayif_yonler: 'Vatandaş taleplerine geri dönüş süresinin uzun olması\nKararların gerekçelerinin yeterince paylaşılmaması',
    firsatlar: 'Dijital katılım araçlarının yaygınlaşması\nGençlerin gönüllülük potansiyeli',
    tehditler: 'Katılıma olan güvenin azalması\nGöç ve plansız yapılaşma baskısı',
    ...ranked('halkla_iliskiler', 'sosyal_hizmetler', 'kultur_sanat'),
    beklentiler: 'Stratejik plan izleme raporlarının her yıl kent konseyi genel kurulunda sunulması.',
    isbirligi_alanlari: ['ortak_proje', 'egitim_seminer', 'gonullu_destegi'],
    ortak_proje_onerisi: 'Mahalle meclisleri pilot uygulaması.',
    ...likert([4, 3, 4, 4, 4, 5, 4, 3]),
    ek_gorusler: 'Planın hazırlık sürecinde kent konseyinin bilgilendirilmesi için teşekkür ederiz.',
  },
};

// Citizens' open answers typed in from paper and face-to-face questionnaires: longer than the
// synthetic phrases, two with contact details the report must mask.
const WRITTEN: { field: 'iyilestirilmesi_gereken' | 'bes_yillik_beklenti' | 'proje_fikri'; text: string; channel: ResponseChannel }[] = [
  { field: 'iyilestirilmesi_gereken', channel: 'paper', text: "Kaldırımlar çok bozuk, tekerlekli sandalyeyle Belediye Caddesi'nden geçmek mümkün değil. Engelli rampaları da eksik." },
  { field: 'iyilestirilmesi_gereken', channel: 'face_to_face', text: 'Çöpler haftada iki kez toplanıyor, yazın koku dayanılmaz oluyor. Konteynerler de yetersiz.' },
  { field: 'bes_yillik_beklenti', channel: 'paper', text: "Toplu taşıma seferleri artırılsın, akşam 21.00'den sonra mahallemize otobüs yok." },
  { field: 'bes_yillik_beklenti', channel: 'face_to_face', text: 'Parklar daha bakımlı olsun, çocuk oyun alanlarına gölgelik yapılsın ve ağaç dikilsin.' },
  { field: 'proje_fikri', channel: 'paper', text: "Gençler için spor alanları ve ücretsiz kurslar açılmalı; Esentepe'de hiç spor tesisi yok." },
  { field: 'iyilestirilmesi_gereken', channel: 'face_to_face', text: 'Sokak hayvanları için barınak ve veteriner hizmeti artırılmalı. Gönüllü olarak yardım edebilirim, telefonum 0532 000 47 18.' },
  { field: 'iyilestirilmesi_gereken', channel: 'paper', text: 'Otopark sorunu çözülmeli, akşamları sokağa araç sığmıyor, ambulans bile geçemiyor.' },
  { field: 'iyilestirilmesi_gereken', channel: 'paper', text: 'Belediyeye ulaşmak çok zor, telefonla aradığımda kimse açmıyor. E-posta adresim ayse.k@example.org, dönüş bekliyorum.' },
  { field: 'proje_fikri', channel: 'face_to_face', text: 'Eski mezbaha binası kültür merkezi olarak yeniden kullanılsın; konser, sergi ve tiyatro yapılsın.' },
  { field: 'proje_fikri', channel: 'paper', text: 'Mahallemize bir kütüphane ve kültür merkezi açılmasını istiyorum, çocuklar ders çalışacak yer bulamıyor.' },
  { field: 'bes_yillik_beklenti', channel: 'face_to_face', text: 'Deprem toplanma alanları belirsiz, tabelalar konulmalı ve tatbikat yapılmalı.' },
  { field: 'iyilestirilmesi_gereken', channel: 'paper', text: 'Engelli erişimi için sesli trafik ışıkları ve hissedilebilir yüzeyler yapılmalı.' },
];

/** The codebook of the citizen survey: its keywords find the synthetic phrases and the written answers. */
const CITIZEN_THEMES: { name: string; areaId: string; swotKind: SwotKind | null; keywords: string[] }[] = [
  { name: 'Kaldırım ve yol bakımı', areaId: 'yol_altyapi', swotKind: 'weakness', keywords: ['kaldırım', 'asfalt', 'çukur'] },
  { name: 'Çöp toplama ve temizlik', areaId: 'temizlik_atik', swotKind: 'weakness', keywords: ['çöp', 'konteyner', 'atık'] },
  { name: 'Toplu taşıma ve otopark', areaId: 'ulasim_trafik', swotKind: 'weakness', keywords: ['toplu taşıma', 'otobüs', 'sefer', 'otopark'] },
  { name: 'Park ve yeşil alanlar', areaId: 'park_bahce', swotKind: null, keywords: ['park', 'ağaç', 'yeşil alan', 'oyun alan'] },
  { name: 'Gençlik ve spor alanları', areaId: 'spor', swotKind: null, keywords: ['spor', 'genç'] },
  { name: 'Sokak hayvanları', areaId: 'veteriner', swotKind: null, keywords: ['hayvan', 'barınak', 'köpek', 'kedi'] },
  { name: 'Engelli erişimi', areaId: 'engelli_yasli_kadin', swotKind: 'weakness', keywords: ['engelli', 'erişim', 'rampa'] },
  { name: 'Kültür ve sanat mekânları', areaId: 'kultur_sanat', swotKind: 'opportunity', keywords: ['kültür', 'sanat', 'kütüphane', 'konser'] },
  { name: 'Belediyeyle iletişim', areaId: 'halkla_iliskiler', swotKind: 'weakness', keywords: ['ulaşmak', 'iletişim', 'telefon', 'beyaz masa'] },
];

/** GZFT themes of the opinion form; a theme codes only answers to the question of its kind. */
const INSTITUTION_THEMES: { name: string; areaId: string | null; swotKind: SwotKind; keywords: string[] }[] = [
  { name: 'Deprem ve afet riski', areaId: 'afet_acil_durum', swotKind: 'threat', keywords: ['deprem', 'afet', 'sıvılaşma'] },
  { name: 'Plansız yapılaşma ve göç', areaId: 'imar_sehircilik', swotKind: 'threat', keywords: ['plansız', 'göç', 'rant'] },
  { name: 'Hibe ve destek programları', areaId: null, swotKind: 'opportunity', keywords: ['hibe', 'destek', 'fon'] },
];

const SWOT_ROLES: Record<string, SwotKind> = { 'swot.strength': 'strength', 'swot.weakness': 'weakness', 'swot.opportunity': 'opportunity', 'swot.threat': 'threat' };

/** How many of the oldest citizen open answers a planner has coded. */
const CODED_ANSWERS = 300;

interface DemoMeeting {
  input: Omit<MeetingInput, 'starts_at' | 'ends_at' | 'signup_deadline_at'>;
  /** When it is held, as a share of the consultation period. */
  at: number;
  signUps: number;
  /** The planner's head count: sign-ups who came, walk-ins and people who never signed up. */
  headCount?: number;
  walkIns?: number;
  notes?: string;
  requests?: { text: string; area: string; mahalle: string | null; supporters: number; gzft: SwotKind | null }[];
  cancel?: { at: number; reason: string };
}

const meetingInput = (title: string, venue: string, address: string, mahalles: string[], capacity: number | null): DemoMeeting['input'] => ({
  title_tr: title,
  title_en: null,
  venue,
  address,
  capacity,
  accessibility_tr: 'Salon giriş katta; rampa ve engelli tuvaleti var. İşaret dili tercümanı için bir gün önce haber veriniz.',
  accessibility_en: null,
  description_tr: "Mahallenizin sorunlarını ve 2025-2029 Stratejik Planı'ndan beklentilerinizi birlikte konuşuyoruz.",
  description_en: null,
  mahalles,
});

const MEETINGS: DemoMeeting[] = [
  {
    input: meetingInput('Cumhuriyet ve Atatürk Mahalleleri Buluşması', 'Cumhuriyet Kültür Merkezi', 'Belediye Caddesi No: 12', ['cumhuriyet', 'ataturk'], 80),
    at: 0.4,
    signUps: 26,
    walkIns: 4,
    headCount: 64,
    notes: 'Katılımcılar en çok kaldırımları ve çöp toplama saatlerini konuştu; muhtarlar da söz aldı.',
    requests: [
      { text: "Belediye Caddesi'ndeki kaldırımlar dar ve bozuk; yaşlılar ve bebek arabalı aileler yola inmek zorunda kalıyor.", area: 'yol_altyapi', mahalle: 'cumhuriyet', supporters: 18, gzft: 'weakness' },
      { text: 'Çöp konteynerleri akşam saatlerinde taşıyor, toplama saatleri değiştirilmeli.', area: 'temizlik_atik', mahalle: 'ataturk', supporters: 12, gzft: 'weakness' },
      { text: 'Kültür merkezinde gençlere yönelik atölyeler açılsın.', area: 'kultur_sanat', mahalle: 'cumhuriyet', supporters: 7, gzft: 'opportunity' },
      { text: 'Otopark yetersizliği nedeniyle ara sokaklarda çift sıra park yapılıyor.', area: 'ulasim_trafik', mahalle: 'ataturk', supporters: 9, gzft: null },
    ],
  },
  {
    input: meetingInput('Esentepe ve Yıldıztepe Buluşması', 'Esentepe Semt Konağı', 'Çınarlı Sokak No: 4', ['esentepe', 'yildiztepe'], 50),
    at: 0.55,
    signUps: 18,
    walkIns: 3,
    headCount: 41,
    notes: 'Ulaşım ve yeşil alan talepleri öne çıktı.',
    requests: [
      { text: "Esentepe'ye ikinci bir otobüs hattı açılmalı, sabah seferleri yetersiz.", area: 'ulasim_trafik', mahalle: 'esentepe', supporters: 15, gzft: 'weakness' },
      { text: "Yıldıztepe'deki boş arazi mahalle parkına dönüştürülsün.", area: 'park_bahce', mahalle: 'yildiztepe', supporters: 11, gzft: 'opportunity' },
      { text: 'Sokak köpekleri okul yolunda sorun oluyor; kısırlaştırma ve barınak kapasitesi artırılmalı.', area: 'veteriner', mahalle: 'esentepe', supporters: 6, gzft: null },
      { text: 'Toplanma alanlarını gösteren tabelalar yok.', area: 'afet_acil_durum', mahalle: 'yildiztepe', supporters: 5, gzft: 'threat' },
    ],
  },
  {
    input: meetingInput('Bahçelievler Buluşması', 'Bahçelievler Muhtarlık Lokali', 'Gül Sokak No: 7', ['bahcelievler'], 30),
    at: 0.65,
    signUps: 6,
    cancel: { at: 0.5, reason: 'Salon tadilat nedeniyle kullanılamıyor; yeni tarih duyurulacak.' },
  },
  {
    input: meetingInput('Gazi, Fatih ve Hürriyet Mahalleleri Buluşması', 'Gazi Ortaokulu Spor Salonu', 'Okul Caddesi No: 21', ['gazi', 'fatih', 'hurriyet'], null),
    at: 0.7,
    signUps: 14,
    walkIns: 5,
    headCount: 58,
    notes: 'Kentsel dönüşüm ve deprem güvenliği uzun tartışıldı.',
    requests: [
      { text: 'Eski binaların deprem dayanıklılığı taranmalı, kentsel dönüşüm hızlandırılmalı.', area: 'afet_acil_durum', mahalle: 'gazi', supporters: 21, gzft: 'threat' },
      { text: 'Semt pazarının zemini yağmurda çamur oluyor, pazar yeri düzenlenmeli.', area: 'zabita_denetim', mahalle: 'fatih', supporters: 8, gzft: null },
      { text: 'Kapalı spor salonu gençlerin ücretsiz kullanımına açılmalı.', area: 'spor', mahalle: 'hurriyet', supporters: 10, gzft: 'opportunity' },
      { text: 'Evde bakım hizmeti alan yaşlı sayısı artırılmalı.', area: 'engelli_yasli_kadin', mahalle: 'gazi', supporters: 6, gzft: null },
    ],
  },
  {
    input: meetingInput('Çamlık ve Kültür Mahalleleri Buluşması', 'Çamlık Muhtarlığı Toplantı Salonu', 'Orman Yolu No: 2', ['camlik', 'kultur'], 12),
    at: 0.85,
    signUps: 15,
    walkIns: 2,
    headCount: 19,
    notes: 'Küçük salon doldu; bekleme listesinden bir kişiye yer açıldı.',
    requests: [
      { text: 'Çamlık ormanı çevresinde yangın riskine karşı önlem alınmalı.', area: 'cevre_iklim', mahalle: 'camlik', supporters: 9, gzft: 'threat' },
      { text: 'E-belediye uygulamasında talep takibi yapılamıyor.', area: 'dijital_hizmetler', mahalle: 'kultur', supporters: 4, gzft: 'weakness' },
      { text: 'Muhtarlık ile belediye arasında düzenli bilgilendirme toplantıları yapılsın.', area: 'halkla_iliskiler', mahalle: 'kultur', supporters: 5, gzft: null },
      { text: "Çamlık'ta güçlü bir mahalle dayanışması ve gönüllü ağı var.", area: 'sosyal_hizmetler', mahalle: 'camlik', supporters: 3, gzft: 'strength' },
    ],
  },
];

const FIRST_NAMES = ['Ayşe', 'Fatma', 'Mehmet', 'Mustafa', 'Ahmet', 'Zeynep', 'Emine', 'Hüseyin', 'Elif', 'Murat', 'Hatice', 'Ali', 'Merve', 'İbrahim', 'Esra', 'Hasan', 'Selin', 'Burak', 'Derya', 'Emre', 'Gülsüm', 'Kemal', 'Sevgi', 'Oğuz'];
const LAST_NAMES = ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan', 'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özkan', 'Şimşek', 'Polat', 'Güneş', 'Aksoy', 'Erdem'];

/** Every activity area and mahalle the demo's texts refer to. */
const AREAS_USED = [...new Set([...Object.values(STAKEHOLDERS).flatMap((s) => s.areas), ...CITIZEN_THEMES.map((t) => t.areaId), ...MEETINGS.flatMap((m) => m.requests?.map((r) => r.area) ?? [])])];
const MAHALLES_USED = [...new Set([...MEETINGS.flatMap((m) => m.input.mahalles), 'istiklal'])];

/** Refuses when the database holds anything a planner entered, or the surveys are not the bundled demo. */
async function preconditions(db: Db, catalog: SurveyCatalog, now: Date): Promise<Exclude<DemoOutcome, { kind: 'seeded' }> | { kind: 'ok'; citizen: Survey; form: Survey; from: number; to: number }> {
  const stakeholders = (await stakeholderRepository.names(db)).length;
  const responses = [...(await responseRepository.countsBySurvey(db)).values()].reduce((sum, c) => sum + c.complete + c.excluded + c.partial, 0);
  const meetings = (await meetingRepository.listMeetings(db)).length;
  if (stakeholders + responses + meetings > 0) return { kind: 'data_exists', stakeholders, responses, meetings };

  const citizen = catalog.find(CITIZEN_SURVEY);
  const form = catalog.find(INSTITUTION_FORM);
  const missing = [
    ...(citizen?.audience === 'citizen' ? [] : [CITIZEN_SURVEY]),
    ...(form?.audience === 'institution' ? [] : [INSTITUTION_FORM]),
    ...AREAS_USED.filter((id) => !catalog.municipality.activityAreas.some((a) => a.id === id)).map((id) => `activity area ${id}`),
    ...MAHALLES_USED.filter((id) => !catalog.municipality.mahalles.some((m) => m.id === id)).map((id) => `mahalle ${id}`),
  ];
  if (!citizen || !form || missing.length > 0) return { kind: 'not_bundled', missing };

  const schedules = [catalog.schedule(citizen.slug), catalog.schedule(form.slug)];
  const from = Math.max(...schedules.map((s) => Date.parse(s.opensAt)));
  const to = Math.min(now.getTime(), ...schedules.map((s) => Date.parse(s.closesAt)));
  if (schedules.some((s) => !s.published) || to - from < MIN_DAYS_OPEN * DAY_MS) {
    return { kind: 'too_early', opensAt: new Date(from).toISOString(), readyAt: new Date(from + MIN_DAYS_OPEN * DAY_MS).toISOString() };
  }
  return { kind: 'ok', citizen, form, from, to };
}

/** The demo's data-entry clerks. */
const CLERKS = [
  { name: 'Zeynep Arslan', email: 'veri.girisi.1@demo.paydas.invalid' },
  { name: 'Emre Koç', email: 'veri.girisi.2@demo.paydas.invalid' },
] as const;

/**
 * Accounts for the clerks who typed in the paper and face-to-face questionnaires, so every entry
 * names who entered it. Their passwords are random and shown nowhere: an administrator who wants
 * to sign in as one sets a new password on the users page. An account already there is reused.
 */
async function demoClerks(db: Db, now: Date): Promise<number[]> {
  const ids: number[] = [];
  for (const clerk of CLERKS) {
    const created = await accountService.createUser(db, { ...clerk, role: 'planner', password: crypto.randomBytes(24).toString('base64url') }, actor, now);
    const id = created.kind === 'created' ? created.userId : (await userRepository.findByEmailWithHash(db, clerk.email))?.id;
    if (!id) throw new Error(`Demo clerk ${clerk.email} could not be created`);
    ids.push(id);
  }
  return ids;
}

/** Fills an empty database with the demo consultation. */
/** The demo records only what the app would accept: a refusal means the demo's dates are wrong. */
function saved<T extends { kind: string }>(outcome: T): T {
  if (outcome.kind !== 'saved') throw new Error(`Demo meeting data refused: ${outcome.kind}`);
  return outcome;
}

export async function seedDemoData(db: Db, catalog: SurveyCatalog, options: DemoOptions): Promise<DemoOutcome> {
  const checked = await preconditions(db, catalog, options.now);
  if (checked.kind !== 'ok') return checked;
  const { citizen, form, from, to } = checked;
  const wanted = options.citizenResponses ?? 1500;
  if (!Number.isInteger(wanted) || wanted < 100) throw new RangeError('citizenResponses must be an integer of at least 100');
  const seed = options.seed ?? 1;
  const random = randomSource(seed * 7919 + 17);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  // Mail is counted as it is queued; nothing is sent from here.
  let mails = 0;
  const mailer: Mailer = {
    render: (request) => options.mailer.render(request),
    queue: (trx, request, now) => {
      mails++;
      return options.mailer.queue(trx, request, now);
    },
  };
  const mail = { mailer, baseUrl: options.baseUrl };
  const meetingContext = { ...mail, secret: options.secret };

  /** A moment of the consultation period, as a share of it. */
  const at = (share: number) => new Date(from + (to - from) * share);
  /** 19:00 in Istanbul on the day of that moment. */
  const evening = (share: number) => {
    const day = at(share);
    return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 16));
  };
  /** 10:00 in Istanbul on the day of that moment (not before the consultation began): office hours. */
  const office = (share: number, minutes = 0) => {
    const day = at(share);
    const morning = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 7) + minutes * 60_000;
    return new Date(Math.max(morning, day.getTime()));
  };
  const isoDay = (share: number) => at(share).toISOString().slice(0, 10);
  const later = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

  // The register.
  const ids = {} as Record<Key, number>;
  for (const [key, input] of Object.entries(STAKEHOLDERS) as [Key, StakeholderInput][]) ids[key] = await stakeholderService.create(db, input, actor, office(0.01));

  // Meetings are announced early; residents sign up until six hours before the start.
  const meetingIds: number[] = [];
  let registrations = 0;
  for (const [index, meeting] of MEETINGS.entries()) {
    const startsAt = evening(meeting.at);
    const input: MeetingInput = {
      ...meeting.input,
      starts_at: startsAt.toISOString(),
      ends_at: later(startsAt, 120).toISOString(),
      signup_deadline_at: later(startsAt, -6 * 60).toISOString(),
    };
    const created = office(0.05, index * 5);
    const id = await meetingService.createMeeting(db, input, actor, created);
    meetingIds.push(id);
    const deadline = Date.parse(input.signup_deadline_at);
    for (let i = 0; i < meeting.signUps; i++) {
      const first = pick(FIRST_NAMES);
      const last = pick(LAST_NAMES);
      const contact = random();
      const email = contact < 0.6 ? `${foldTurkish(first)}.${foldTurkish(last)}${index}${i}@example.org` : null;
      const phone = contact > 0.4 ? normalizePhone(`0500 000 ${String(10 + index).padStart(2, '0')} ${String(10 + i).padStart(2, '0')}`)! : null;
      const accessibilityNeed = random() < 0.08 ? 'Tekerlekli sandalye kullanıyorum.' : null;
      const outcome = await meetingService.signUp(
        db,
        meetingContext,
        {
          meetingId: id,
          name: `${first} ${last}`,
          phone,
          email,
          mahalleId: pick(input.mahalles),
          accessibilityNeed,
          // The form takes a need only with its explicit consent (KVKK art. 6).
          accessibilityConsent: accessibilityNeed ? { noticeVersion: catalog.municipality.privacy.noticeVersion } : null,
          futureMeetingsConsent: random() < 0.4 ? { noticeVersion: catalog.municipality.privacy.noticeVersion } : null,
          language: 'tr',
          requestKey: `demo-${seed}-${index}-${i}`,
        },
        new Date(created.getTime() + ((deadline - created.getTime()) * (i + 1)) / (meeting.signUps + 1)),
      );
      if (outcome.kind !== 'registered') throw new Error(`Demo sign-up refused: ${outcome.kind}`);
      registrations++;
    }
  }

  // Citizens. The oldest few were the staff trying the survey out; a few more came in twice.
  const EXCLUDED_TESTS = 4;
  const EXCLUDED_DUPLICATES = 6;
  const synthetic = wanted - WRITTEN.length + EXCLUDED_TESTS + EXCLUDED_DUPLICATES;
  // Paper and face-to-face questionnaires are typed in by two clerks, named as "Giren".
  const clerks = await demoClerks(db, office(0.01));
  await insertSyntheticResponses(db, citizen, { count: synthetic, seed, from: new Date(from + 60 * 60_000), to: new Date(to - 2 * 60 * 60_000), enteredBy: clerks });
  const stored = (await responseRepository.listResponses(db, citizen.slug, { status: 'complete' }, { limit: synthetic, offset: 0 })).responses.map((r) => r.id).sort((a, b) => a - b);
  const excluded = [
    ...stored.slice(0, EXCLUDED_TESTS).map((id) => ({ id, reason: 'test' as const, note: 'Personelin deneme yanıtı' })),
    ...Array.from({ length: EXCLUDED_DUPLICATES }, (_, i) => ({
      id: stored[Math.floor(((i + 1) * stored.length) / (EXCLUDED_DUPLICATES + 1))]!,
      reason: 'duplicate' as const,
      note: 'Aynı kâğıt anket iki kez girilmiş',
    })),
  ];
  for (const { id, reason, note } of excluded) {
    const outcome = await setExcluded(db, citizen.slug, id, { reason, note }, actor, office(0.9));
    if (outcome.kind !== 'changed') throw new Error(`Demo exclusion refused: ${outcome.kind}`);
  }
  const writtenIds = new Set<number>();
  for (const [i, written] of WRITTEN.entries()) {
    const fields = syntheticFields(citizen, random);
    for (const field of ['iyilestirilmesi_gereken', 'bes_yillik_beklenti', 'proje_fikri']) delete fields[field];
    fields[written.field] = written.text;
    const id = await answerSections(db, citizen, fields, {
      start: at(0.02 + i * 0.01),
      channel: written.channel,
      enteredBy: clerks[i % clerks.length]!,
      token: newToken().token,
      key: `demo-${seed}-written-${i}`,
    });
    writtenIds.add(id!);
  }
  // The quality checks, run on the generated responses through the same function as on a live
  // completion (the written ones went through the pages and were checked as they completed).
  await qualityService.assessStored(db, citizen, stored);
  const DRAFTS = 20;
  for (let i = 0; i < DRAFTS; i++) {
    const sections = 1 + Math.floor(random() * 3);
    await answerSections(db, citizen, syntheticFields(citizen, random), { start: at(0.05 + (0.93 * i) / DRAFTS), channel: 'online', token: newToken().token, key: `demo-${seed}-draft-${i}`, sections });
  }

  // Institutions: invited early, the newspaper's invitation withdrawn, eight answer over the weeks.
  const closesAt = Date.parse(catalog.schedule(form.slug).closesAt);
  const deadline = new Date(Math.min(closesAt, to + 21 * DAY_MS)).toISOString();
  await invitationService.invite(db, mail, { survey: form, stakeholderIds: INVITED.map((key) => ids[key]), deadline, reminderDays: 3, actor, now: office(0.1) });
  const invitationOf = async (key: Key) => {
    const found = (await invitationRepository.listForSurvey(db, form.slug)).find((i) => i.stakeholder_id === ids[key]);
    if (!found) throw new Error(`No demo invitation for ${key}`);
    return found;
  };
  await invitationService.revoke(db, form, (await invitationOf(REVOKED)).id, actor, office(0.15));
  const answering = Object.entries(OPINIONS) as [Key, FormFields][];
  for (const [i, [key, fields]] of answering.entries()) {
    const invitation = await invitationOf(key);
    const opened = office(0.15 + (0.65 * i) / answering.length, 30);
    // The institution's own link is sealed in its invitation; a second token, as valid, stands for it (the receipt carries it back).
    const link = newToken();
    await invitationRepository.addToken(db, invitation.id, link.hash, opened);
    await invitationService.followLink(db, link.token, opened);
    const language = isLanguage(invitation.language) ? invitation.language : 'tr';
    await answerSections(db, form, { ...fields, ...invitationService.knownAnswers(form, invitation.stakeholderGroup) }, {
      start: later(opened, 30),
      channel: 'online',
      language,
      token: invitationService.draftTokenOf(options.secret, invitation),
      key: `demo-${seed}-opinion-${i}`,
      hooks: (now) => ({
        afterSave: (trx) => invitationService.recordDraftSaved(trx, invitation.id, now),
        afterComplete: async (trx, responseId) =>
          invitationService.recordSubmission(trx, mail, {
            invitation,
            survey: form,
            responseId,
            link: invitationService.invitationLink(options.baseUrl, link.token, language),
            lines: receiptLines(options, form, await responseRepository.answersOf(trx, responseId), language),
            now,
          }),
      }),
    });
  }
  await invitationService.remind(db, mail, form, await Promise.all(REMINDED.map(async (key) => (await invitationOf(key)).id)), actor, office(0.6));

  // The meetings: one cancelled, the others held; who came, the head count and what was asked.
  let attendees = 0;
  let requests = 0;
  for (const [index, meeting] of MEETINGS.entries()) {
    const id = meetingIds[index]!;
    if (meeting.cancel) {
      await meetingService.cancelMeeting(db, meetingContext, id, meeting.cancel.reason, actor, office(meeting.cancel.at));
      continue;
    }
    const startsAt = evening(meeting.at);
    const signedUp = await meetingRepository.registrationsOf(db, id);
    // In the small hall one resident gives up the seat after sign-ups closed: the first one waiting gets it.
    if (signedUp.some((r) => r.status === 'waitlisted')) {
      const leaving = signedUp.find((r) => r.status === 'confirmed')!;
      await meetingService.cancelRegistration(db, meetingContext, leaving.id, { by: 'resident' }, later(startsAt, -7 * 60));
    }
    for (const registration of await meetingRepository.registrationsOf(db, id, { statuses: ['confirmed'] })) {
      if (random() < 0.8) saved(await meetingService.checkIn(db, id, registration.id, true, later(startsAt, 10), options.timeZone));
    }
    const held = (await meetingRepository.findMeeting(db, id))!;
    for (let i = 0; i < (meeting.walkIns ?? 0); i++) {
      saved(await meetingService.addWalkIn(db, id, { name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)}`, mahalleId: pick(held.mahalles) }, later(startsAt, 15), options.timeZone));
    }
    const end = later(startsAt, 120);
    saved(await meetingService.recordOutcome(db, id, { notes: meeting.notes ?? null, headCount: meeting.headCount ?? null }, later(end, 60 * 14), options.timeZone));
    for (const request of meeting.requests ?? []) {
      saved(
        await meetingService.saveRequest(
          db,
          id,
          undefined,
          { text: request.text, activity_area_id: request.area, mahalle_id: request.mahalle, supporters: request.supporters, gzft_kind: request.gzft },
          null,
          later(end, 60 * 14),
          options.timeZone,
        ),
      );
      requests++;
    }
    // Attendance as every screen and the report count it: the people checked in, not the head count.
    attendees += (await meetingRepository.countsOf(db, [id])).get(id)!.attended;
  }

  // Consultations held outside the site, recorded by hand.
  const activities = [
    {
      method: 'focus_group' as const,
      title: 'Gençlerle odak grup görüşmesi',
      targetGroup: 'Gençler (18-29 yaş)',
      startsOn: isoDay(0.3),
      endsOn: null,
      participants: 12,
      notes: 'Spor tesislerine erişim, kültür etkinlikleri ve gençlerin istihdamı konuşuldu.',
      mahalleIds: ['esentepe', 'yildiztepe', 'istiklal'],
      stakeholderIds: [ids.genclik],
    },
    {
      method: 'workshop' as const,
      title: 'Afete Dirençli Yeşilvadi Çalıştayı',
      targetGroup: 'Üniversite, meslek odaları, STK temsilcileri ve muhtarlar',
      startsOn: isoDay(0.45),
      endsOn: isoDay(0.45 + DAY_MS / (to - from)),
      participants: 46,
      notes: 'Deprem riski, toplanma alanları ve kentsel dönüşüm önceliklendirildi.',
      mahalleIds: ['cumhuriyet', 'gazi', 'fatih'],
      stakeholderIds: [ids.universite, ids.mimarlar, ids.imo, ids.yesilDoga, ids.gaziMuhtar, ids.kentKonseyi],
    },
    {
      method: 'interview' as const,
      title: 'Kamu kurumu yöneticileriyle derinlemesine görüşmeler',
      targetGroup: 'Kaymakamlık ve ilçe müdürlükleri',
      startsOn: isoDay(0.6),
      endsOn: isoDay(0.65),
      participants: 5,
      notes: null,
      mahalleIds: [],
      stakeholderIds: [ids.kaymakamlik, ids.mem],
    },
  ];
  const activityIds: number[] = [];
  for (const activity of activities) {
    await db.transaction().execute(async (trx) => {
      const id = await activityRepository.create(trx, activity, office(0.9));
      await audit.record(trx, { action: 'activity.created', ...audit.by(actor), target: `activity:${id}`, details: { method: activity.method, title: activity.title } }, office(0.9));
      activityIds.push(id);
    });
  }

  // The codebooks and the coding, as a planner would do it near the end.
  const citizenThemes: number[] = [];
  for (const theme of CITIZEN_THEMES) citizenThemes.push(await createTheme(db, citizen.slug, theme, office(0.9)));
  const themes = await codingRepository.themes(db, citizen.slug);
  let coded = 0;
  for (; coded < CODED_ANSWERS; coded++) {
    const answer = await codingRepository.nextUncodedAnswer(db, citizen.slug);
    if (!answer) break;
    await codeAnswer(db, citizen.slug, answer.id, suggestThemes(answer.text, themes), office(0.92));
  }
  // Each theme's quote: a written answer where there is one (two hold contact details, masked on the way).
  for (const themeId of citizenThemes) {
    const answers = await codingRepository.answersOfTheme(db, citizen.slug, themeId, 1000);
    const quote = answers.find((a) => writtenIds.has(a.responseId)) ?? answers[0];
    if (quote) await codingService.chooseQuote(db, citizen.slug, themeId, quote.id, actor, office(0.93));
  }
  for (const theme of INSTITUTION_THEMES) await createTheme(db, form.slug, theme, office(0.9));
  const formThemes = await codingRepository.themes(db, form.slug);
  const roleOf = new Map(allQuestions(form).map((q) => [q.id, q.role]));
  for (;;) {
    const answer = await codingRepository.nextUncodedAnswer(db, form.slug);
    if (!answer) break;
    const kind = SWOT_ROLES[roleOf.get(answer.questionId) ?? ''];
    const fitting = formThemes.filter((t) => kind !== undefined && t.swotKind === kind);
    await codeAnswer(db, form.slug, answer.id, suggestThemes(answer.text, fitting), office(0.92));
  }

  // Findings, each citing the rows that support it.
  const theme = (name: string) => themes.find((t: Theme) => t.name === name)!.id;
  const findings = [
    {
      finding: 'Temizlik ve atık yönetimi vatandaşların en çok öncelik verdiği hizmet alanıdır; açık uçlu görüşlerde ve buluşmalarda çöp toplama sıklığı ile konteyner yetersizliği dile getirilmektedir.',
      need: 'Yoğun mahallelerde çöp toplama sıklığının artırılması ve konteyner kapasitesinin gözden geçirilmesi.',
      areaId: 'temizlik_atik',
      evidence: [
        { tableKey: 'T10', rowKey: 'temizlik_atik' },
        { tableKey: 'T11', rowKey: 'temizlik_atik' },
        { tableKey: 'T13', rowKey: String(theme('Çöp toplama ve temizlik')) },
        { tableKey: 'T15b', rowKey: 'temizlik_atik' },
      ],
    },
    {
      finding: 'Açık uçlu görüşlerde en sık dile getirilen konu toplu taşıma ve otoparktır; mahalle buluşmalarında da yeni hat, sefer ve otopark talepleri gelmiştir.',
      need: 'Ulaşım ana planının güncellenmesi; sefer sıklığının artırılması ve mahalle otoparklarının planlanması.',
      areaId: 'ulasim_trafik',
      evidence: [
        { tableKey: 'T10', rowKey: 'ulasim_trafik' },
        { tableKey: 'T13', rowKey: String(theme('Toplu taşıma ve otopark')) },
        { tableKey: 'T15b', rowKey: 'ulasim_trafik' },
      ],
    },
    {
      finding: 'Yol ve kaldırımlar öncelikli alanlar arasındadır; kaldırımların bakımı ve engelli erişimi konusunda ciddi eksiklikler bildirilmektedir.',
      need: 'Erişilebilirlik standartlarına uygun, mahalle mahalle kaldırım yenileme programı.',
      areaId: 'yol_altyapi',
      evidence: [
        { tableKey: 'T11', rowKey: 'yol_altyapi' },
        { tableKey: 'T13', rowKey: String(theme('Kaldırım ve yol bakımı')) },
        { tableKey: 'T13', rowKey: String(theme('Engelli erişimi')) },
        { tableKey: 'T15b', rowKey: 'yol_altyapi' },
      ],
    },
    {
      finding: 'Kurumsal paydaşlar deprem riskini ilçenin en önemli tehdidi olarak görmekte; üniversite ve meslek odaları bu alanda işbirliğine hazırdır.',
      need: 'Afet risk azaltma planının üniversite ve meslek odalarıyla birlikte hazırlanması.',
      areaId: 'afet_acil_durum',
      evidence: [
        { tableKey: 'T4', rowKey: `activity:${activityIds[1]}` },
        { tableKey: 'T14', rowKey: String(ids.universite) },
        { tableKey: 'T14', rowKey: String(ids.mimarlar) },
        { tableKey: 'T15b', rowKey: 'afet_acil_durum' },
      ],
    },
  ];
  for (const finding of findings) {
    await db.transaction().execute(async (trx) => {
      await findingRepository.insert(trx, finding, office(0.95));
      await audit.record(trx, { action: 'finding.created', ...audit.by(actor), target: finding.finding.slice(0, 80) }, office(0.95));
    });
  }
  const swotReviewed = await reviewDemoSwot(db, catalog, options.i18n, options.timeZone, actor, office(0.9));

  return {
    kind: 'seeded',
    summary: {
      municipality: catalog.municipality.name.tr,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      stakeholders: Object.keys(STAKEHOLDERS).length,
      invitations: INVITED.length,
      answered: answering.length,
      revoked: 1,
      citizenResponses: wanted,
      drafts: DRAFTS,
      excluded: excluded.length,
      themes: CITIZEN_THEMES.length,
      codedAnswers: coded,
      institutionThemes: INSTITUTION_THEMES.length,
      activities: activities.length,
      meetingsHeld: MEETINGS.filter((m) => !m.cancel).length,
      meetingsCancelled: MEETINGS.filter((m) => m.cancel).length,
      registrations,
      attendees,
      requests,
      findings: findings.length,
      swotReviewed,
      mails,
    },
  };
}

async function createTheme(db: Db, surveySlug: string, theme: { name: string; areaId: string | null; swotKind: SwotKind | null; keywords: string[] }, now: Date): Promise<number> {
  const outcome = await codingService.createTheme(db, surveySlug, theme, actor, now);
  if (outcome.kind !== 'saved') throw new Error(`Demo theme ${theme.name}: ${outcome.kind}`);
  return outcome.id;
}

async function codeAnswer(db: Db, surveySlug: string, answerId: number, themeIds: number[], now: Date): Promise<void> {
  const outcome = await codingService.codeAnswer(db, surveySlug, answerId, themeIds, null, now);
  if (outcome.kind !== 'coded') throw new Error(`Demo coding of answer ${answerId}: ${outcome.kind}`);
}

/** The copy of the answers in an institution's receipt, as the opinion form's pages write it. */
function receiptLines(options: Pick<DemoOptions, 'i18n' | 'timeZone'>, survey: Survey, rows: AnswerRow[], language: 'tr' | 'en') {
  const t = options.i18n.translators[language];
  const format = dateFormatters(options.timeZone);
  return describeResponse(survey, rows, (value) => localize(value, language).text, {
    other: t('surveys:other_option'),
    notApplicable: t('admin:responses.not_applicable'),
    formatDate: (isoDate) => format[language].date.format(new Date(`${isoDate}T12:00:00Z`)),
  });
}

type Hook = (trx: Transaction<Database>, responseId: number) => Promise<void>;

/**
 * Posts a response section by section through the survey pages' own use case (validation,
 * conditions, drafts, completion), two minutes apart; stops after `sections` posts to leave a
 * draft. Returns the completed response's id, or null for a draft.
 */
async function answerSections(
  db: Db,
  survey: Survey,
  fields: FormFields,
  options: {
    start: Date;
    channel: ResponseChannel;
    /** The clerk who typed a paper or face-to-face questionnaire in. */
    enteredBy?: number;
    language?: string;
    /** The draft's token (an institution's is derived from its invitation). */
    token: string;
    /** Makes each post's idempotency key. */
    key: string;
    sections?: number;
    hooks?: (now: Date) => { afterSave?: Hook; afterComplete?: Hook };
  },
): Promise<number | null> {
  let index = 0;
  for (let step = 0; step < (options.sections ?? Infinity); step++) {
    const now = new Date(options.start.getTime() + step * 2 * 60_000);
    const onPage = sectionFieldNames(survey, index);
    const posted = Object.fromEntries(Object.entries(fields).filter(([name]) => onPage.includes(name)));
    const outcome = await db.transaction().execute((trx) =>
      submitSection(trx, {
        survey,
        sectionIndex: index,
        posted,
        nav: 'next',
        draftTokenHash: hashToken(options.token),
        newDraftToken: options.token,
        idempotencyKey: `${options.key}-${step}`,
        language: options.language ?? 'tr',
        channel: options.channel,
        enteredBy: options.enteredBy ?? null,
        now,
        ...options.hooks?.(now),
      }),
    );
    if (outcome.kind === 'completed') return outcome.responseId;
    if (outcome.kind !== 'saved' || outcome.goTo === null) throw new Error(`Demo response to ${survey.slug} not accepted at section ${index + 1}: ${JSON.stringify(outcome)}`);
    index = outcome.goTo;
  }
  return null;
}
