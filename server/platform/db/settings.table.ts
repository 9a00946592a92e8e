// Key/value settings the application generates and keeps itself (e.g. the session secret).
export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}
