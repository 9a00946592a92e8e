import { maskPersonalData } from '../../../server/analysis/coding/personal-data';

describe('maskPersonalData', () => {
  describe('e-mail addresses', () => {
    it.each([
      ['Bana ayse.yilmaz@example.org adresinden yazın.', 'Bana [e-posta] adresinden yazın.'],
      ['İletişim: MEHMET_42+anket@belediye.bel.tr.', 'İletişim: [e-posta].'],
      ['ali05321234567@gmail.com', '[e-posta]'],
    ])('masks %j', (text, masked) => {
      expect(maskPersonalData(text)).toBe(masked);
    });
  });

  describe('Turkish phone numbers', () => {
    it.each([
      '+90 532 123 45 67',
      '+905321234567',
      '0090 532 123 45 67',
      '0532 123 4567',
      '0532 123 45 67',
      '05321234567',
      '0 532 123 45 67',
      '(0212) 555 12 34',
      '(212) 555 12 34',
      '+90 (532) 123-45-67',
      '0212 555 12 34',
      '532-123-45-67',
      '532 123 45 67',
      '5321234567',
      '0532.123.45.67',
      '212 555 12 34',
      '216-555-1234',
    ])('masks %s', (phone) => {
      expect(maskPersonalData(`Beni ${phone} numarasından arayın.`)).toBe('Beni [telefon] numarasından arayın.');
    });

    it('masks several numbers and keeps the text around them', () => {
      expect(maskPersonalData('Tel:05321234567, ev: (0232) 444 55 66')).toBe('Tel:[telefon], ev: [telefon]');
    });
  });

  describe('11-digit numbers', () => {
    it('masks a kimlik number whether or not its checksum holds', () => {
      expect(maskPersonalData('TC: 10000000146 ve 12345678901')).toBe('TC: [kimlik no] ve [kimlik no]');
    });

    it('masks an 11-digit number that starts like a mobile number as a kimlik number, not as a phone', () => {
      expect(maskPersonalData('kimlik 53212345678')).toBe('kimlik [kimlik no]');
    });

    it('leaves longer digit runs alone (IBAN parts, order numbers)', () => {
      expect(maskPersonalData('Sipariş 123456789012345')).toBe('Sipariş 123456789012345');
    });
  });

  describe('numbers that are not personal data', () => {
    it.each([
      '2025-2029 stratejik planında',
      '3 milyon TL bütçe',
      '1.500.000 TL harcandı',
      '2026 yılında 150 park yapılsın',
      '1234567890 adet',
      'Sokak no 12, daire 5, 34000 İstanbul',
      '2025 2026 2027 2028 yılları',
      '%25 indirim, 444 0 153 çağrı merkezi',
      'Bütçe 2500000000 TL',
      '12.05.2024 tarihinde',
    ])('keeps %j', (text) => {
      expect(maskPersonalData(text)).toBe(text);
    });
  });

  it('masks everything in one answer', () => {
    expect(maskPersonalData('Ben Ayşe, 12345678901, ayse@example.org, 0532 123 45 67. Parklar 2025-2029 arası yapılsın.')).toBe(
      'Ben Ayşe, [kimlik no], [e-posta], [telefon]. Parklar 2025-2029 arası yapılsın.',
    );
  });
});
