// Shapes of docs/api.md.

export type Role = 'admin' | 'appraiser' | 'staff' | 'leader' | 'feed';
export type UnitKind = 'province' | 'department' | 'district' | 'commune' | 'other';

export interface User {
  id: number;
  username: string;
  full_name: string;
  email: string | null;
  role: Role;
  unit_id: number;
  disabled: boolean;
  must_change_password: boolean;
  totp_enabled: boolean;
  created_at: string;
  last_login_at: string | null;
}

export type UnitInfo = Partial<Record<string, string | number | null>>;

export interface Unit {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  parent_id: number | null;
  official_code: string | null;
  info: UnitInfo | null;
  created_at: string;
  retired_at: string | null;
}

export interface Me {
  user: User;
  unit: Unit | null;
  csrf_token: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: { user_id: number | null; username: string | null } | null;
  client_addr: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  old: unknown;
  new: unknown;
}

export interface FrameworkSummary {
  id: string;
  version: number;
  title: string;
  level: string;
  year: number;
  status: string;
  max_points: number;
  criteria_count: number;
}

export interface Input {
  name: string;
  label: string;
  type: string;
  min?: number;
  max?: number;
  options?: { value: string; label: string }[];
}

export type Rule = { type: string; [field: string]: any };

export interface Criterion {
  key: string;
  code: string;
  title: string;
  max_points: number;
  due?: string;
  guidance?: string;
  conditions?: string;
  evidence?: string;
  notes?: string;
  signed_evidence?: boolean;
  applies_to?: string[];
  na_allowed?: string;
  data_source?: { kind: string; system?: string };
  responsible_unit?: string;
  demo?: boolean;
  source_issue?: string;
  inputs?: Input[];
  rule?: Rule;
  examples?: { inputs: Record<string, unknown>; points: number; note?: string }[];
}

export interface Group {
  key: string;
  code: string;
  title: string;
  criteria: Criterion[];
  notes?: string;
}

export interface Pillar {
  key: string;
  code: string;
  title: string;
  max_points: number;
  groups: Group[];
  notes?: string;
}

/** Per-node totals computed by the server; rule_text is the rule in Vietnamese, written by the
 * server's rule table (src/core/rule_<type>.c) — the UI shows it as is. */
export interface FrameworkTotals {
  pillars: { key: string; groups: { key: string; criteria: { key: string; rule_type: string; rule_text: string }[] }[] }[];
}

export interface Framework extends FrameworkSummary {
  totals?: FrameworkTotals;
  source?: string;
  draft_note?: string;
  notes?: string;
  info_fields?: { key: string; label: string; type: string }[];
  pillars: Pillar[];
}
