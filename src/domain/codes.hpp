#pragma once
// The shapes of the codes and names a payload carries that the monitor shows as metric labels
// (domain.md §2, §8.3). A value of another shape is data the monitor keeps but does not label
// a series with: a sender must not be able to write arbitrary text into /metrics.

#include <cstddef>
#include <string_view>

namespace tthc {

inline constexpr std::size_t kMaxUnitCodeBytes = 32;
inline constexpr std::size_t kMaxFieldCodeBytes = 32;
inline constexpr std::size_t kMaxDepartmentBytes = 160;

/// A unit code as the one-stop systems write it (the MaHoSo prefix, the envelope's madonvi,
/// Madonvi): "000.00.12.H42", "G22.38", "H42" — 1 to 32 ASCII letters, digits, '.' and '_',
/// with at least one digit. A MaHoSo without '-' has no unit code (Dossier::unit_code() is
/// empty): a whole dossier code could pass this check, so it is never given one.
bool is_unit_code(std::string_view code);

/// A field code (MaLinhVuc): "KHCN", "ATBXHN", "G09-TP-01" — 1 to 32 ASCII letters, digits,
/// '.', '_' and '-'.
bool is_field_code(std::string_view code);

/// A department name (PhongBanXuLy): free Vietnamese text, "Phòng Kế hoạch - Tài chính" — 1 to
/// 160 bytes of well-formed UTF-8, no control character (C0, DEL, C1), not only spaces.
bool is_department_name(std::string_view name);

}  // namespace tthc
