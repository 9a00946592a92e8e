import { suggestThemes } from '../../../server/analysis/coding/theme-suggestions';

const theme = (id: number, name: string, keywords: string[] = []) => ({ id, name, keywords });

describe('suggestThemes', () => {
  describe('with keywords', () => {
    it('matches whatever the case and diacritics: "çöp" finds "ÇÖPLER" and "cop"', () => {
      const themes = [theme(1, 'Temizlik', ['çöp'])];
      expect(suggestThemes('ÇÖPLER toplanmıyor', themes)).toEqual([1]);
      expect(suggestThemes('cop kutusu yok', themes)).toEqual([1]);
    });

    it('handles dotted and dotless i: "ışık" finds "ISIKLANDIRMA", "İmar" finds "imar"', () => {
      expect(suggestThemes('Sokaklarda ISIKLANDIRMA yetersiz', [theme(1, 'Aydınlatma', ['ışık'])])).toEqual([1]);
      expect(suggestThemes('imar planı değişmeli', [theme(2, 'Kentsel dönüşüm', ['İmar'])])).toEqual([2]);
      expect(suggestThemes('IŞIKLAR yanmıyor', [theme(1, 'Aydınlatma', ['isik'])])).toEqual([1]);
    });

    it('matches on word starts: "park" finds "parklar" and "Park\'ta" but not "otopark"', () => {
      const themes = [theme(1, 'Yeşil alan', ['park'])];
      expect(suggestThemes('Parklar bakımsız', themes)).toEqual([1]);
      expect(suggestThemes("Park'ta oturacak yer yok", themes)).toEqual([1]);
      expect(suggestThemes('Otopark sorunu var', themes)).toEqual([]);
    });

    it('matches a phrase word by word', () => {
      const themes = [theme(1, 'Ulaşım', ['toplu taşıma'])];
      expect(suggestThemes('Toplu taşımada seferler az', themes)).toEqual([1]);
      expect(suggestThemes('Taşıma işleri toplu yapılsın', themes)).toEqual([]);
    });

    it('uses the keywords instead of the name when there are some', () => {
      expect(suggestThemes('Ulaşım pahalı', [theme(1, 'Ulaşım', ['otobüs'])])).toEqual([]);
    });
  });

  describe('without keywords', () => {
    it('uses the words of the name with at least four letters', () => {
      const themes = [theme(1, 'Yol ve kaldırım'), theme(2, 'Su')];
      expect(suggestThemes('Kaldırımlar dar, yol bozuk, su kesiliyor', themes)).toEqual([1]);
    });
  });

  it('orders the suggestions by the number of hits, ties in the given order', () => {
    const themes = [theme(1, 'Temizlik', ['çöp']), theme(2, 'Yeşil alan', ['park', 'ağaç']), theme(3, 'Ulaşım', ['otobüs'])];
    expect(suggestThemes('Parklarda ağaç yok, çöp de toplanmıyor, otobüs gelmiyor', themes)).toEqual([2, 1, 3]);
    expect(suggestThemes('Otobüs ve çöp', themes)).toEqual([1, 3]);
  });

  it('suggests nothing for an empty text or no themes', () => {
    expect(suggestThemes('', [theme(1, 'Temizlik', ['çöp'])])).toEqual([]);
    expect(suggestThemes('çöp', [])).toEqual([]);
  });
});
