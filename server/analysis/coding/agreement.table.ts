// Stored shape of the second, blind coding of a sample of coded answers.

export interface SecondCodingTable {
  answer_id: number;
  /** Who made the first coding, as it was when the second was made. */
  first_coded_by: number | null;
  coded_by: number | null;
  coded_at: string;
  settled_by: number | null;
  settled_at: string | null;
}

export interface SecondCodingCodeTable {
  answer_id: number;
  /** 1: the first coder's codes when the second coding was made; 2: the second coder's. */
  coder: 1 | 2;
  theme_id: number;
}
