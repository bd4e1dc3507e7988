import { Market } from '../enums/market';

/** A listed KRX stock with the parameters the mock market needs to simulate it. */
export interface MockSymbolProfile {
  code: string;
  /** Korean name as listed on KRX. */
  name: string;
  englishName: string;
  market: Market;
  sector: string;
  /** Level the simulated price wanders around (about 2024 levels), in KRW. */
  basePrice: number;
  /** Typical shares traded per day. */
  averageDailyVolume: number;
}

/**
 * Real KRX listings. Prices and volumes are rough 2024 magnitudes (the mock only needs realistic scale),
 * chosen so that every KRX tick band occurs: from SK증권 (~700 KRW, tick 1) to 삼성바이오로직스
 * (~780,000 KRW, tick 1,000). 셀트리온헬스케어 (091990) is absent: it merged into 셀트리온 and was
 * delisted in December 2023.
 */
export const MOCK_SYMBOL_CATALOG: readonly MockSymbolProfile[] = Object.freeze(
  (
    [
      ['005930', '삼성전자', 'Samsung Electronics', Market.KOSPI, 'Semiconductors', 73_000, 15_000_000],
      ['000660', 'SK하이닉스', 'SK hynix', Market.KOSPI, 'Semiconductors', 150_000, 3_500_000],
      ['373220', 'LG에너지솔루션', 'LG Energy Solution', Market.KOSPI, 'Batteries', 400_000, 250_000],
      ['207940', '삼성바이오로직스', 'Samsung Biologics', Market.KOSPI, 'Biotechnology', 780_000, 60_000],
      ['005380', '현대차', 'Hyundai Motor', Market.KOSPI, 'Automobiles', 200_000, 600_000],
      ['000270', '기아', 'Kia', Market.KOSPI, 'Automobiles', 100_000, 1_200_000],
      ['068270', '셀트리온', 'Celltrion', Market.KOSPI, 'Biotechnology', 180_000, 700_000],
      ['035420', 'NAVER', 'NAVER', Market.KOSPI, 'Internet', 190_000, 600_000],
      ['035720', '카카오', 'Kakao', Market.KOSPI, 'Internet', 48_000, 2_000_000],
      ['051910', 'LG화학', 'LG Chem', Market.KOSPI, 'Chemicals', 420_000, 250_000],
      ['006400', '삼성SDI', 'Samsung SDI', Market.KOSPI, 'Batteries', 390_000, 300_000],
      ['105560', 'KB금융', 'KB Financial Group', Market.KOSPI, 'Financials', 62_000, 1_500_000],
      ['055550', '신한지주', 'Shinhan Financial Group', Market.KOSPI, 'Financials', 44_000, 1_500_000],
      ['005490', 'POSCO홀딩스', 'POSCO Holdings', Market.KOSPI, 'Steel', 420_000, 350_000],
      ['012330', '현대모비스', 'Hyundai Mobis', Market.KOSPI, 'Auto Parts', 220_000, 200_000],
      ['028260', '삼성물산', 'Samsung C&T', Market.KOSPI, 'Conglomerates', 130_000, 400_000],
      ['066570', 'LG전자', 'LG Electronics', Market.KOSPI, 'Consumer Electronics', 95_000, 700_000],
      ['003550', 'LG', 'LG Corp', Market.KOSPI, 'Conglomerates', 82_000, 300_000],
      ['017670', 'SK텔레콤', 'SK Telecom', Market.KOSPI, 'Telecommunications', 51_000, 400_000],
      ['030200', 'KT', 'KT Corp', Market.KOSPI, 'Telecommunications', 36_000, 900_000],
      ['032830', '삼성생명', 'Samsung Life Insurance', Market.KOSPI, 'Insurance', 80_000, 300_000],
      ['015760', '한국전력', 'Korea Electric Power', Market.KOSPI, 'Utilities', 20_000, 2_500_000],
      ['003490', '대한항공', 'Korean Air', Market.KOSPI, 'Airlines', 22_000, 1_500_000],
      ['034220', 'LG디스플레이', 'LG Display', Market.KOSPI, 'Displays', 11_000, 2_000_000],
      ['010140', '삼성중공업', 'Samsung Heavy Industries', Market.KOSPI, 'Shipbuilding', 9_000, 6_000_000],
      [
        '003530',
        '한화투자증권',
        'Hanwha Investment & Securities',
        Market.KOSPI,
        'Securities',
        3_500,
        800_000,
      ],
      ['001510', 'SK증권', 'SK Securities', Market.KOSPI, 'Securities', 700, 1_500_000],
      ['247540', '에코프로비엠', 'EcoPro BM', Market.KOSDAQ, 'Batteries', 250_000, 700_000],
      ['086520', '에코프로', 'EcoPro', Market.KOSDAQ, 'Batteries', 100_000, 1_000_000],
      ['196170', '알테오젠', 'Alteogen', Market.KOSDAQ, 'Biotechnology', 200_000, 600_000],
      ['028300', 'HLB', 'HLB', Market.KOSDAQ, 'Biotechnology', 70_000, 1_500_000],
      ['263750', '펄어비스', 'Pearl Abyss', Market.KOSDAQ, 'Games', 35_000, 400_000],
      ['293490', '카카오게임즈', 'Kakao Games', Market.KOSDAQ, 'Games', 22_000, 500_000],
      ['035900', 'JYP Ent.', 'JYP Entertainment', Market.KOSDAQ, 'Entertainment', 75_000, 400_000],
      ['041510', '에스엠', 'SM Entertainment', Market.KOSDAQ, 'Entertainment', 80_000, 200_000],
    ] as const
  ).map(([code, name, englishName, market, sector, basePrice, averageDailyVolume]) =>
    Object.freeze({ code, name, englishName, market, sector, basePrice, averageDailyVolume }),
  ),
);
