#pragma once
// Private to the board's files in src/api: what the data, the reports list and the pages share.

#include "api/board_api.hpp"
#include "board/format.hpp"

namespace tthc::api {

/// The language of a page or picture: ?lang=, else Accept-Language, else Vietnamese.
board::Lang page_lang(const http::Request& req);
/// Content-Security-Policy (no inline script or style, no framing), Referrer-Policy.
void add_page_security(http::Response& r);
/// A page or picture of the board: never cached (its figures move), with add_page_security.
http::Response board_response(std::string_view content_type, std::string body);

void add_board_reports(http::Router& router, const Clock& clock, const BoardOptions& options);
void add_board_pages(http::Router& router, const BoardOptions& options);

}  // namespace tthc::api
