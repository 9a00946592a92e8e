// Open answers as citizens write them, for synthetic responses (the demo, benchmarks): a dozen
// municipal topics, each said many ways (suffixes, word order, plural and possessive forms), with
// openers, a second point now and then, and some written without Turkish letters, as on a phone
// keyboard without them. Deterministic for a given random source. Coding them must be real work:
// no two topics share a sentence, but the same topic is rarely written the same way twice.
import { foldTurkish } from '../platform/text';

/** Each topic's ways of saying it; the first is the plainest. */
export const OPINION_TOPICS: Record<string, readonly string[]> = {
  kaldirim: [
    'Kaldırımlar onarılmalı',
    'kaldırımlar çok bozuk, yürümek zor',
    'Sokağımızdaki kaldırım taşları kırık',
    'Yollardaki çukurlar kapatılsın, asfalt yenilensin',
    'Ara sokakların asfaltı berbat durumda',
    'Kaldırımların yüksekliği bebek arabasıyla geçmeye izin vermiyor',
    'Cadde kaldırımına araçlar park ediyor, kaldırım yapılmalı',
    'Asfalt yamaları her yağmurda bozuluyor',
  ],
  cop: [
    'Çöpler daha sık toplanmalı',
    'çöp konteynerleri taşıyor, kokudan durulmuyor',
    'Konteyner sayısı yetersiz, çöpler sokağa taşıyor',
    'Çöp toplama saatleri düzensiz',
    'Geri dönüşüm kutuları konulsun, atıklar ayrı toplansın',
    'Sokaklar yeterince süpürülmüyor, çöp birikiyor',
    'Pazar yerinden sonra çöpler günlerce kalıyor',
  ],
  ulasim: [
    'Toplu taşıma seferleri artırılmalı',
    'Otobüsler çok seyrek geliyor, akşam hiç otobüs yok',
    'Mahallemize yeni bir otobüs hattı açılsın',
    'Sabahları otobüsler tıklım tıklım, sefer sayısı artsın',
    'Duraklara kapalı bekleme yeri yapılsın',
    'Minibüs hatları düzenlenmeli, otobüs saatleri belli değil',
  ],
  otopark: [
    'Otopark sorunu çözülmeli',
    'Akşamları park yeri bulmak imkansız, otopark yapılsın',
    'Çarşıya katlı otopark lazım',
    'Sokaklara araçlar çift sıra park ediyor, otopark yetersiz',
    'Otopark ücretleri çok pahalı',
  ],
  park: [
    'Parklar daha çok ağaçlandırılmalı',
    'Çocuk parkındaki oyuncaklar kırık, yenilensin',
    'Mahallemizde hiç yeşil alan yok',
    'Parklara gölgelik ve oturma bankı konulsun',
    'Ağaç dikilsin, yeşil alanlar artırılsın',
    'Parklar akşamları karanlık, aydınlatma yapılmalı',
    'Boş arsalar park ve bahçeye dönüştürülsün',
  ],
  spor: [
    'Gençler için spor alanları yapılmalı',
    'Ücretsiz spor kursları açılsın',
    'Mahalleye halı saha ve basketbol sahası yapılsın',
    'Kapalı spor salonu gençlere açılmalı',
    'Yürüyüş ve bisiklet yolu yapılsın',
    'Gençlerin vakit geçireceği bir yer yok',
  ],
  hayvan: [
    'Sokak hayvanları için barınak',
    'Sokak köpekleri çoğaldı, çocuklar korkuyor',
    'Kediler ve köpekler için mama ve su kapları konulsun',
    'Sokak hayvanları kısırlaştırılmalı ve aşılanmalı',
    'Belediye barınağı yetersiz, veteriner hizmeti artırılsın',
  ],
  engelli: [
    'Engelli erişimi iyileştirilmeli',
    'Tekerlekli sandalyeyle hiçbir yere gidemiyoruz, rampa yok',
    'Kamu binalarına engelli rampası yapılsın',
    'Görme engelliler için hissedilebilir yüzey ve sesli ışık lazım',
    'Yaşlılar ve engelliler için evde bakım hizmeti genişletilsin',
  ],
  kultur: [
    'Kültür merkezi açılmalı',
    'Mahalleye kütüphane yapılsın, çocuklar ders çalışacak yer bulamıyor',
    'Konser, tiyatro ve sergi etkinlikleri artırılsın',
    'Sinema ve kültür etkinlikleri ilçede çok az',
    'Ücretsiz sanat atölyeleri ve kurslar açılsın',
  ],
  iletisim: [
    'Belediyeye ulaşmak kolaylaşmalı',
    'Telefonla aradığımda kimse açmıyor',
    'Başvurularıma hiç dönüş yapılmadı',
    'Beyaz masaya ulaşmak çok zor, saatlerce bekliyoruz',
    'Şikayetlerimize yanıt verilmiyor, iletişim kopuk',
    'Online başvuru sistemi çalışmıyor',
  ],
  deprem: [
    'Deprem toplanma alanları belirsiz, tabela konulsun',
    'Eski binalar depreme dayanıksız, kentsel dönüşüm hızlansın',
    'Afet tatbikatı yapılsın, halk bilgilendirilsin',
    'Deprem çantası ve afet eğitimi verilmeli',
    'Toplanma alanlarının yeri bilinmiyor',
  ],
  su: [
    'Sular sık sık kesiliyor, haber verilmiyor',
    'Yağmurda sokaklar su basıyor, kanalizasyon yetersiz',
    'Musluk suyu bulanık akıyor',
    'Altyapı çalışmaları bitmiyor, yollar kazılıp bırakılıyor',
    'Su baskınlarına karşı yağmur suyu kanalları yapılsın',
  ],
};

const OPENERS = ['', '', '', 'Bence ', 'Mahallemizde ', 'Lütfen ', 'Acilen ', 'Bir vatandaş olarak söylüyorum, ', 'En büyük sorun: '];
const CLOSERS = ['', '', '', '.', '.', '!', ', lütfen.', ', bu konuda bir şey yapılmıyor.', '. Teşekkürler.'];

/** Topics not equally common, as in real answers: the first ones come up most. */
const TOPIC_WEIGHTS = Object.keys(OPINION_TOPICS).map((_, i, all) => (all.length - i) ** 1.2 + 2);

function weighted<T>(items: readonly T[], weights: readonly number[], random: () => number): T {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r <= 0) return items[i]!;
  }
  return items.at(-1)!;
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

/** The topic ids, in the order of OPINION_TOPICS. */
export const OPINION_TOPIC_IDS = Object.keys(OPINION_TOPICS);

/** One citizen's open answer, and the topics it is about (one, sometimes two). */
export function syntheticOpinion(random: () => number): { text: string; topics: string[] } {
  const first = weighted(OPINION_TOPIC_IDS, TOPIC_WEIGHTS, random);
  const topics = [first];
  // One answer in five makes a second point.
  if (random() < 0.2) {
    const second = weighted(OPINION_TOPIC_IDS, TOPIC_WEIGHTS, random);
    if (second !== first) topics.push(second);
  }
  const upper = (s: string) => s.charAt(0).toLocaleUpperCase('tr-TR') + s.slice(1);
  const lower = (s: string) => s.charAt(0).toLocaleLowerCase('tr-TR') + s.slice(1);
  const opener = pick(OPENERS, random);
  const separator = random() < 0.5 ? '. ' : '; ';
  const sentences = topics.map((topic, i) => {
    const sentence = pick(OPINION_TOPICS[topic]!, random);
    // A sentence after an opener or a semicolon goes on in lower case; after a full stop it starts a new one.
    return (i === 0 && opener !== '') || (i > 0 && separator === '; ') ? lower(sentence) : upper(sentence);
  });
  let text = upper(opener + sentences.join(separator) + pick(CLOSERS, random));
  // One in ten typed without Turkish letters.
  if (random() < 0.1) text = asciiOnly(text);
  return { text, topics };
}

/** As typed on a keyboard without Turkish letters: ç→c, ğ→g, ı→i, İ→I, ö→o, ş→s, ü→u. */
function asciiOnly(text: string): string {
  return [...text].map((ch) => (/[çğıöşüÇĞİÖŞÜ]/.test(ch) ? (ch === ch.toLocaleUpperCase('tr-TR') ? foldTurkish(ch).toUpperCase() : foldTurkish(ch)) : ch)).join('');
}
