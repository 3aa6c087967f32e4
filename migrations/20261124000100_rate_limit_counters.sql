-- Abuse limits that must hold across restarts and processes (issue 11): one counter per kind
-- of limit, subject and fixed window. A subject is a SHA-256 of what is counted (a client
-- address, a mail recipient), so the table holds no addresses in the clear. Two adjacent
-- windows give a sliding-window estimate; rows past `expires_at` are deleted by the hourly
-- cleanup.
create table rate_limit_counters (
  kind text not null,
  subject text not null,
  window_start timestamptz not null,
  count integer not null default 0,
  expires_at timestamptz not null,
  primary key (kind, subject, window_start)
);
create index rate_limit_counters_expires_idx on rate_limit_counters (expires_at);
