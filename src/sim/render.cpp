#include "sim/render.hpp"

#include "base/json_text.hpp"
#include "sim/record_text.hpp"
#include "sim/tables.hpp"

namespace tthc::sim {

namespace {

// The dossier's own fields, from MaHoSo to DonViXuLy.
void write_fields(ObjectWriter& o, const DossierLife& life, const Revision& r, Defect defect) {
  const Tables& t = *life.tables;
  const UnitInfo& unit = t.units[life.unit];
  const ProcedureInfo& proc = t.procedures[life.procedure];
  const bool as_text = unit.codes_as_text;
  if (defect != Defect::MissingCode) append_json_string(o.key("MaHoSo"), life.code);
  o.json("MaTTHC", life.local_code ? proc.local_code : proc.code);
  if (defect == Defect::InvalidUtf8) {
    // A lead byte without continuation, copied through as a broken sender would.
    append_json_string(o.key("TenTTHC"), "\xC3\x28 " + proc.rule.name);
  } else {
    o.json("TenTTHC", proc.name);
  }
  o.json("MaLinhVuc", proc.field_code);
  o.json("TenLinhVuc", proc.field_name);
  o.code("KenhThucHien", defect == Defect::ChannelOutOfRange ? 4 : static_cast<int>(life.channel),
         as_text);
  o.json("ChuHoSo", t.applicants[life.applicant]);
  o.code("LoaiDoiTuong", t.applicant_kind[life.applicant], as_text);
  if (defect == Defect::ImpossibleDate && !r.received) {
    put_impossible(o.key("NgayNopHoSo"), life.submitted);
  } else {
    o.time("NgayNopHoSo", life.submitted);
  }
  if (defect == Defect::ImpossibleDate && r.received) {
    put_impossible(o.key("NgayTiepNhan"), life.received);
  } else {
    o.time("NgayTiepNhan", r.received ? life.received : Moment{});
  }
  o.time("NgayHenTra", r.due);
  o.code("TrangThaiHoSo", defect == Defect::StatusOutOfRange ? 11 : status_code(r.status), as_text);
  o.time("NgayKetThucXuLy", r.finished ? life.processing_end : Moment{});
  o.time("NgayTra", r.returned ? life.returned : Moment{});
  o.json("DonViXuLy", t.units[life.resolver].name);
}

// DanhSachHoSoBoSung: the rounds requested by the revision, as far as they had come back.
void write_rounds(std::string& out, const DossierLife& life, const Revision& r) {
  out += '[';
  for (std::size_t i = 0; i < r.rounds_requested; ++i) {
    const LifeRound& round = life.rounds[i];
    const bool back = i < r.rounds_received;
    if (i > 0) out += ',';
    ObjectWriter o(out);
    o.time("NgayBoSung", round.requested);
    o.time("NgayTiepNhanBoSung", back ? round.received : Moment{});
    o.time("NgayHenTraTruoc", round.due_before);
    o.time("NgayHenTraMoi", back ? round.due_after : Moment{});
    o.json("NoiDungBoSung", life.tables->supplement_reason);
    o.close();
  }
  out += ']';
}

}  // namespace

void write_entries(std::string& out, const DossierLife& life, std::size_t count, Defect defect) {
  const Tables& t = *life.tables;
  out += '[';
  const bool as_text = t.units[life.unit].codes_as_text;
  for (std::size_t i = 0; i < count; ++i) {
    const LifeEntry& e = life.entries[i];
    const Handler& handler = t.handlers[e.department][e.handler];
    if (i > 0) out += ',';
    ObjectWriter o(out);
    append_json_string(o.key("MaHoSo"), life.code);
    o.json("NguoiXuLy", handler.name);
    o.json("ChucDanh", handler.title);
    o.time("ThoiDiemXuLy", i == 0 && defect == Defect::MissingProgressTime ? Moment{} : e.at);
    o.json("PhongBanXuLy", t.department_json[e.department]);
    o.json("NoiDungXuLy", t.actions[e.action]);
    o.code("TrangThai", status_code(e.status), as_text);
    o.time("NgayBatDau", e.start);
    o.time("NgayKetThucTheoQuyDinh", e.deadline);
    o.close();
  }
  out += ']';
}

void write_record(std::string& out, const DossierLife& life, std::size_t revision, Defect defect,
                  bool embed_progress) {
  const Revision& r = life.revisions[revision];
  if (defect == Defect::MissingProgressTime && (!embed_progress || r.entries == 0)) {
    defect = Defect::StatusOutOfRange;  // no entry to spoil: spoil the status instead
  }
  ObjectWriter o(out);
  write_fields(o, life, r, defect);
  write_rounds(o.key("DanhSachHoSoBoSung"), life, r);
  if (embed_progress) write_entries(o.key("QuaTrinhXuLy"), life, r.entries, defect);
  o.close();
}

// --- the public delivery types ------------------------------------------------------------------

std::string_view to_string(Defect d) {
  switch (d) {
    case Defect::None: return "none";
    case Defect::ImpossibleDate: return "impossible_date";
    case Defect::StatusOutOfRange: return "status_out_of_range";
    case Defect::MissingCode: return "missing_code";
    case Defect::InvalidUtf8: return "invalid_utf8";
    case Defect::MissingProgressTime: return "missing_progress_time";
    case Defect::ChannelOutOfRange: return "channel_out_of_range";
  }
  return "?";
}

std::string_view to_string(DeliveryKind k) {
  switch (k) {
    case DeliveryKind::Change: return "change";
    case DeliveryKind::Duplicate: return "duplicate";
    case DeliveryKind::Delayed: return "delayed";
    case DeliveryKind::Bad: return "bad";
  }
  return "?";
}

const std::string& ScheduledDelivery::code() const {
  return life_->code;
}

void ScheduledDelivery::append_record(std::string& out, bool embed_progress) const {
  write_record(out, *life_, static_cast<std::size_t>(revision_), defect_, embed_progress);
}

void ScheduledDelivery::append_progress(std::string& out) const {
  write_entries(out, *life_, life_->revisions[static_cast<std::size_t>(revision_)].entries,
                Defect::None);
}

Delivery ScheduledDelivery::render() const {
  Delivery d;
  d.at = at_;
  d.code = life_->code;
  d.bad = bad();
  d.kind = kind_;
  d.defect = defect_;
  d.revision = revision_;
  d.record_json.reserve(1024 + 384 * life_->entries.size());
  append_record(d.record_json);
  return d;
}

}  // namespace tthc::sim
