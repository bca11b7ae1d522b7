#pragma once
// The schema as numbered migrations: each runs once, in its own transaction, and is recorded
// in schema_migrations. Upgrading the program upgrades the file on first open; a file written
// by a newer program is refused rather than misread.

#include <string_view>

namespace tthc::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Foreign keys are declared where they guard an invariant (a snapshot or a due change belongs to
// a dossier). batch_id columns are provenance written by the same transaction as their batch;
// checking them on every progress row cost a quarter of the import time.
inline constexpr Migration kMigrations[] = {
    {1, "dossiers, snapshots, due changes, progress, batches, catalogue, cursors", R"sql(
CREATE TABLE batches (
  id        INTEGER PRIMARY KEY,
  arrived   INTEGER NOT NULL,            -- Unix seconds (UTC) the batch arrived
  source    TEXT    NOT NULL,            -- webhook, import, poll:<name>
  records   INTEGER NOT NULL DEFAULT 0,
  accepted  INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  rejected  INTEGER NOT NULL DEFAULT 0
);

-- The dossier as its freshest snapshot says (domain.md §8.1), with the first promised due.
CREATE TABLE dossiers (
  id             INTEGER PRIMARY KEY,
  code           TEXT    NOT NULL UNIQUE,   -- MaHoSo
  unit_code      TEXT    NOT NULL,          -- MaHoSo before the first '-'
  procedure_code TEXT    NOT NULL,          -- MaTTHC
  procedure_name TEXT    NOT NULL,
  field_code     TEXT    NOT NULL,          -- MaLinhVuc
  field_name     TEXT    NOT NULL,
  unit_name      TEXT    NOT NULL,          -- DonViXuLy
  channel        INTEGER NOT NULL,          -- KenhThucHien 1..3
  status         INTEGER NOT NULL,          -- TrangThaiHoSo 1..10
  submitted      INTEGER,                   -- NgayNopHoSo (local seconds)
  received       INTEGER,                   -- NgayTiepNhan
  promised_due   INTEGER,                   -- NgayHenTra of this snapshot
  processing_end INTEGER,                   -- NgayKetThucXuLy
  returned       INTEGER,                   -- NgayTra
  base_due       INTEGER,                   -- the first non-empty NgayHenTra received
  rounds         TEXT,                      -- DanhSachHoSoBoSung: JSON [[requested, received, due_before, due_after], ...]
  freshness      INTEGER NOT NULL,          -- latest moment the snapshot contains
  content_hash   INTEGER NOT NULL,
  first_batch    INTEGER NOT NULL,          -- batches(id)
  last_batch     INTEGER NOT NULL           -- batches(id): the last batch that changed anything
);

-- Append-only: every distinct snapshot received, applied or (older than the stored one) not,
-- with what the figures depend on; the freshest one's fields are in dossiers.
CREATE TABLE snapshots (
  id           INTEGER PRIMARY KEY,
  dossier_id   INTEGER NOT NULL REFERENCES dossiers(id),
  batch_id     INTEGER NOT NULL,            -- batches(id)
  freshness    INTEGER NOT NULL,
  status       INTEGER NOT NULL,
  promised_due INTEGER,
  applied      INTEGER NOT NULL,            -- 1: became the dossier's fields
  content_hash INTEGER NOT NULL,
  raw          TEXT    NOT NULL             -- the record's fields the monitor does not read (JSON)
);
CREATE INDEX snapshots_by_dossier ON snapshots(dossier_id, content_hash);

-- Append-only: the NgayHenTra values after the base due (dossiers.base_due), in arrival order:
-- extensions or supplementation due dates.
CREATE TABLE due_changes (
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
  seq        INTEGER NOT NULL,
  value      INTEGER NOT NULL,
  batch_id   INTEGER NOT NULL,              -- batches(id)
  PRIMARY KEY (dossier_id, seq)
) WITHOUT ROWID;

-- Append-only, merged by (MaHoSo, ThoiDiemXuLy, TrangThai, PhongBanXuLy). Keyed by the code,
-- so a progress entry may arrive before its dossier.
CREATE TABLE progress (
  dossier_code  TEXT    NOT NULL,
  at            INTEGER NOT NULL,           -- ThoiDiemXuLy
  status        INTEGER NOT NULL,           -- TrangThai
  department    TEXT    NOT NULL,           -- PhongBanXuLy
  handler       TEXT    NOT NULL,           -- NguoiXuLy (personal data)
  handler_title TEXT    NOT NULL,           -- ChucDanh
  action        TEXT    NOT NULL,           -- NoiDungXuLy
  step_start    INTEGER,                    -- NgayBatDau
  step_deadline INTEGER,                    -- NgayKetThucTheoQuyDinh
  batch_id      INTEGER NOT NULL,           -- batches(id)
  PRIMARY KEY (dossier_code, at, status, department)
) WITHOUT ROWID;

CREATE TABLE procedures (
  code          TEXT PRIMARY KEY,           -- MaTTHC
  name          TEXT NOT NULL,
  field_code    TEXT NOT NULL,
  field_name    TEXT NOT NULL,
  legal_limit   TEXT NOT NULL,
  reduced_limit TEXT NOT NULL,
  online_limit  TEXT NOT NULL
);

CREATE TABLE cursors (
  source   TEXT PRIMARY KEY,
  value    TEXT NOT NULL,
  batch_id INTEGER NOT NULL                 -- batches(id)
);
)sql"},
    // Makes a period's report cheap (src/reports): a dossier whose stored status is an end status
    // and whose every end-time candidate is before a period's start cannot count in that period,
    // so its progress entries need not be read. `settled` bounds every moment the engine could
    // take as the dossier's end: the max of NgayTiepNhan (an end before the receipt is clamped to
    // it), NgayKetThucXuLy and NgayTra as ever applied, and the progress entries with status 7-10.
    // It only grows; the writer keeps it (0: no dated fact yet).
    {2, "dossiers.settled: an upper bound of the end, for period reports", R"sql(
ALTER TABLE dossiers ADD COLUMN settled INTEGER NOT NULL DEFAULT 0;
UPDATE dossiers SET settled = max(coalesce(received, 0), coalesce(processing_end, 0),
  coalesce(returned, 0),
  coalesce((SELECT max(at) FROM progress WHERE dossier_code = dossiers.code AND status >= 7), 0));
)sql"},
    // A dossier's progress entries packed into one row (store/progress_codec.hpp): one B-tree
    // insert per dossier instead of one per entry, keyed by the dossier's row id. Entries whose
    // dossier has not arrived yet wait in progress_orphans under its code and move into
    // progress when it arrives. The progress_entries view shows one row per entry, as before.
    // json_group_array may not keep the old order: readers sort what is not in order.
    {3, "progress packed by dossier (JSON), orphans by code, progress_entries view", R"sql(
CREATE TABLE progress_packed (
  dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
  n_entries  INTEGER NOT NULL,
  entries    TEXT    NOT NULL             -- JSON, store/progress_codec.hpp
);
CREATE TABLE progress_orphans (
  dossier_code TEXT    PRIMARY KEY,       -- MaHoSo of a dossier not received yet
  n_entries    INTEGER NOT NULL,
  entries      TEXT    NOT NULL
);
INSERT INTO progress_packed(dossier_id, n_entries, entries)
  SELECT d.id, count(*), json_group_array(json_array(p.at, p.status, p.department, p.handler,
    p.handler_title, p.action, p.step_start, p.step_deadline, p.batch_id))
  FROM dossiers d JOIN progress p ON p.dossier_code = d.code GROUP BY d.id;
INSERT INTO progress_orphans(dossier_code, n_entries, entries)
  SELECT p.dossier_code, count(*), json_group_array(json_array(p.at, p.status, p.department,
    p.handler, p.handler_title, p.action, p.step_start, p.step_deadline, p.batch_id))
  FROM progress p WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.code = p.dossier_code)
  GROUP BY p.dossier_code;
DROP TABLE progress;
ALTER TABLE progress_packed RENAME TO progress;
CREATE VIEW progress_entries(dossier_code, at, status, department, handler, handler_title,
    action, step_start, step_deadline, batch_id) AS
  SELECT d.code, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'),
    json_extract(e.value, '$[2]'), json_extract(e.value, '$[3]'), json_extract(e.value, '$[4]'),
    json_extract(e.value, '$[5]'), json_extract(e.value, '$[6]'), json_extract(e.value, '$[7]'),
    json_extract(e.value, '$[8]')
  FROM progress p JOIN dossiers d ON d.id = p.dossier_id, json_each(p.entries) e
  UNION ALL
  SELECT o.dossier_code, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'),
    json_extract(e.value, '$[2]'), json_extract(e.value, '$[3]'), json_extract(e.value, '$[4]'),
    json_extract(e.value, '$[5]'), json_extract(e.value, '$[6]'), json_extract(e.value, '$[7]'),
    json_extract(e.value, '$[8]')
  FROM progress_orphans o, json_each(o.entries) e;
)sql"},
    // The envelope's madonvi: which system sent the batch (empty: a bare array, a file, a poll).
    // (Since this version a dossier's or snapshot's status may also be 0: TrangThaiHoSo was not
    // a code, the status is unknown and the dossier counts nowhere; no column changes for it.)
    {4, "batches.sender: the envelope's madonvi", R"sql(
ALTER TABLE batches ADD COLUMN sender TEXT NOT NULL DEFAULT '';
)sql"},
    // The monthly statistics the one-stop systems claim (DongBoThongKeHoSo), one row per unit,
    // month and kind of statistics: the latest received replaces the one before. Kept beside
    // our own figures by the `claimed` report; the columns are the form II.06a's.
    {5, "claimed_stats: the monthly statistics the systems claim (DongBoThongKeHoSo)", R"sql(
CREATE TABLE claimed_stats (
  unit             TEXT    NOT NULL,        -- Madonvi: the unit code (MaHoSo prefix)
  year             INTEGER NOT NULL,        -- Nam
  month            INTEGER NOT NULL,        -- Thang 1..12
  kind             TEXT    NOT NULL,        -- LoaiThongKe ('' when absent)
  unit_name        TEXT    NOT NULL,        -- TenDonVi
  note             TEXT    NOT NULL,        -- GhiChu
  received         INTEGER,                 -- SoNhanTrongKy (cols 4+5); NULL: not sent
  carried_over     INTEGER,                 -- SoTonKyTruoc (col 6)
  to_process       INTEGER,                 -- TongSoXuLy (col 3)
  resolved         INTEGER,                 -- TongDaXuLy (col 7)
  resolved_on_time INTEGER,                 -- TongXuLyDungHan (cols 8+9)
  resolved_overdue INTEGER,                 -- TongXuLyTreHan (col 10)
  pending          INTEGER,                 -- TongChuaXuLy (col 11)
  pending_in_time  INTEGER,                 -- TongChuaXuLyTrongHan (col 12)
  pending_overdue  INTEGER,                 -- TongChuaXuLyTreHan (col 13)
  on_time_percent  REAL,                    -- PhanTramXuLyDungHan, 0..100
  arrived          INTEGER NOT NULL,        -- Unix seconds (UTC) the record arrived
  sender           TEXT    NOT NULL,        -- the envelope's madonvi ('' when absent)
  PRIMARY KEY (year, month, unit, kind)
) WITHOUT ROWID;
)sql"},
};

}  // namespace tthc::store
