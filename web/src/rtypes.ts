// Shapes of docs/rounds-api.md (evaluation rounds, tasks, evidence). Optional where the contract
// leaves a field open, so the screens degrade to "—" rather than break.
import type { Input } from './types';

/** A criterion's input as a task carries it (min/max null when absent). */
export type TaskInput = Omit<Input, 'min' | 'max'> & { min?: number | null; max?: number | null };

export type Phase = 'trial' | 'self_assessment' | 'appraisal1' | 'explanation' | 'appraisal2' | 'finalised';
export type TaskState = 'not_started' | 'draft' | 'submitted' | 'returned' | 'in_appraisal'
  | 'explanation_requested' | 'explained' | 'approved';
export type TimeState = 'on_time' | 'due_soon' | 'overdue' | 'done';

export interface PhaseWindow {
  phase: Phase;
  starts: string;   // yyyy-mm-dd, Asia/Ho_Chi_Minh, inclusive
  ends: string;
  starts_at?: string;
  ends_at?: string;
  label?: string;
}

export interface RoundFramework {
  level: string;
  framework_id: string;
  version: number;
  title?: string;
}

export interface Round {
  id: number;
  title: string;
  year: number;
  status: 'open' | 'finalised';
  created_at?: string;
  finalised_at?: string | null;
  trial_cleared_at?: string | null;
  version?: number;
  frameworks?: RoundFramework[];
  phases?: PhaseWindow[];
  current_phase?: Phase | null;
  counts?: { units?: number; tasks?: number };
}

export interface TaskRow {
  id: number;
  round_id: number;
  unit_id: number;
  unit_name?: string;
  subject_unit_id?: number;
  subject_unit_name?: string;
  level?: string;
  framework_id?: string;
  pillar_key?: string;
  criterion_key: string;
  code?: string;
  title?: string;
  seq?: number;
  due?: string | null;       // "dd.mm" of the round's year
  due_at?: string | null;    // ISO
  state: TaskState;
  state_label?: string;
  time_state?: TimeState;
  self_points?: number | null;
  approved_points?: number | null;
  max_points: number;
  version?: number;
  trial?: boolean;
}

export interface Evidence {
  id: number;
  task_id?: number;
  file_name: string;
  mime?: string;
  size?: number;
  uploaded_at?: string;
  uploaded_by?: number | null;
  uploaded_by_name?: string | null;
  replaces_id?: number | null;
  superseded_at?: string | null;
  removed_at?: string | null;
  download_url?: string;
}

export interface Comment {
  id: number;
  author_name?: string;
  author?: string;
  kind: string;
  body: string;
  at: string;
}

export interface Reading {
  alternative?: string;
  name?: string;
  label?: string;
  text?: string;
  rule_text?: string;
}

export interface TaskCriterion {
  key: string;
  code: string;
  title: string;
  pillar_key?: string;
  pillar_title?: string;
  guidance?: string;
  conditions?: string;
  evidence?: string;
  evidence_required?: boolean;
  signed_evidence?: boolean;
  max_points: number;
  due?: string | null;
  inputs?: TaskInput[];
  rule_text?: string;
  reading?: Reading | string | null;
  external?: boolean;
}

export interface Task extends TaskRow {
  criterion: TaskCriterion;
  report?: {
    inputs?: Record<string, unknown>;
    content?: string | null;
    note?: string | null;
    self_points?: number | null;
    self_status?: string | null;
    self_explanation?: string | null;
  };
  approval?: {
    approved_points?: number | null;
    approval_comment?: string | null;
    approved_at?: string | null;
    appraisal_round?: number | null;
    approved_by_name?: string | null;
  };
  proposal?: { from?: string; points?: number | null; status?: string | null; explanation?: string | null } | null;
  appraiser_inputs?: Record<string, { value: unknown; source: string }> | null;
  external_value?: { value: unknown; source?: string } | null;
  leader_comment?: string | null;
  submitted_at?: string | null;
  sent_at?: string | null;
  approved_at?: string | null;
  updated_at?: string | null;
  updated_by_name?: string | null;
  evidence?: Evidence[];
  comments?: Comment[];
  actions?: (string | { action: string; label?: string; needs_comment?: boolean; needs_points?: boolean })[];
  dates?: { submitted_at?: string | null; sent_at?: string | null; approved_at?: string | null; updated_at?: string | null };
  round_title?: string;
  round_status?: string;
  current_phase?: Phase | null;
}

export interface Preview {
  points: number | null;
  status?: string;
  explanation?: string;
}

export interface Counts { dat: number; chua_dat: number; khong_dat: number }

export interface SummaryUnit {
  unit_id: number;
  unit_name?: string;
  name?: string;
  code?: string;
  level?: string;
  tasks: number;
  self_points?: number | null;
  approved_points?: number | null;
  max_points?: number | null;
  counts: Counts;
}

export interface Assignment {
  id: number;
  level: string;
  pillar_key?: string | null;
  criterion_key?: string | null;
  appraiser_unit_id?: number | null;
  appraiser_unit_name?: string | null;
  appraiser_user_id?: number | null;
  appraiser_username?: string | null;
}

export interface InboxItem {
  kind: string;
  label?: string;
  criterion_key?: string | null;
  phase?: string | null;
  task_id?: number;
  round_id?: number;
  unit_id?: number;
  unit_name?: string;
  code?: string;
  title?: string;
  state?: TaskState;
  due?: string | null;
  due_at?: string | null;
  comment?: string | null;
}

export interface Inbox {
  items: InboxItem[];
  counts?: Record<string, number>;
  total?: number;
}
