// Regression tests of the HTTP ingest path for crashes found by fuzzing
// (tests/fuzz/fuzz_http_ingest.cc; inputs in tests/fuzz/regressions/fuzz_http_ingest/,
// docs/FUZZING.md). Each test is named after the bug it pins.
#include <gtest/gtest.h>

#include <string>

#include "server/auth.h"
#include "server/http_types.h"
#include "server/ingest_endpoint.h"

namespace headroom::server {
namespace {

HttpRequest Post(const std::string& path, std::string body) {
  HttpRequest req;
  req.method = "POST";
  req.path = path;
  req.body = std::move(body);
  return req;
}

// The 415 message echoed the header's first 40 bytes; its JSON dump threw on
// invalid UTF-8, an exception that ended the io thread.
TEST(FuzzRegression, ContentEncodingWithInvalidUtf8IsEchoedAsPrintableAscii) {
  HttpRequest req = Post("/v1/batch", "{}");
  req.headers["content-encoding"] = "\xff\xfe br";
  std::string body;
  HttpResponse error;
  ASSERT_FALSE(DecodeBody(req, body, error));
  EXPECT_EQ(error.status, 415);
  EXPECT_EQ(error.body, R"({"error":"Content-Encoding: unsupported '?? br'"})");
}

TEST(FuzzRegression, ContentEncodingCutInsideAUtf8CharacterAtFortyBytes) {
  HttpRequest req = Post("/v1/batch", "{}");
  std::string encoding = "a";
  for (int i = 0; i < 25; ++i) encoding += "\xc3\xa9";  // é
  req.headers["content-encoding"] = encoding;
  std::string body;
  HttpResponse error;
  ASSERT_FALSE(DecodeBody(req, body, error));
  EXPECT_EQ(error.status, 415);
  EXPECT_EQ(error.body,
            R"({"error":"Content-Encoding: unsupported 'a)" + std::string(39, '?') + R"('"})");
}

// A 404 echoed the percent-decoded path; `/v1/%FF` decodes to invalid UTF-8,
// on which the JSON dump threw. Now the byte becomes U+FFFD.
TEST(FuzzRegression, ErrorMessageWithInvalidUtf8IsReplacedNotThrown) {
  const HttpResponse r = JsonError(404, "path: unknown '/v1/\xff'");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "{\"error\":\"path: unknown '/v1/\xef\xbf\xbd'\"}");
}

// A /v1/records body of nothing but BOM bytes and whitespace indexed the body
// at npos (UBSan: out-of-range std::string::operator[]).
TEST(FuzzRegression, RecordsBodyOfOnlyABomAndWhitespaceIsEmpty) {
  IngestJob job;
  HttpResponse error;
  ASSERT_FALSE(PrepareRecordsJob(Post("/v1/records", "\xEF\xBB\xBF\n \r\n"), 1, job, error));
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.body, R"({"error":"body: empty"})");
}

TEST(FuzzRegression, RecordsBodyOfRepeatedBomBytesIsOneLineForTheParser) {
  std::string bytes;
  for (int i = 0; i < 6; ++i) bytes += "\xEF\xBB\xBF";
  IngestJob job;
  HttpResponse error;
  ASSERT_TRUE(PrepareRecordsJob(Post("/v1/records", bytes), 7, job, error));
  EXPECT_TRUE(job.records);
  EXPECT_EQ(job.received_at, 7);
  ASSERT_EQ(job.items.size(), 1u);
  EXPECT_EQ(job.items[0].index, 0);
  EXPECT_EQ(job.items[0].text, bytes);
  EXPECT_EQ(job.items[0].reject, "");
}

TEST(FuzzRegression, RecordsArrayAfterABomStillSplitsIntoRecords) {
  IngestJob job;
  HttpResponse error;
  ASSERT_TRUE(PrepareRecordsJob(
      Post("/v1/records", "\xEF\xBB\xBF [{\"type\":\"release\"}, {\"a\": 1}]"), 1, job, error));
  ASSERT_EQ(job.items.size(), 2u);
  EXPECT_EQ(job.items[0].text, R"({"type":"release"})");
  EXPECT_EQ(job.items[1].index, 1);
  EXPECT_EQ(job.items[1].text, R"({"a":1})");
}

// json::parse throws out_of_range (not parse_error) for a number beyond a
// double; it escaped both handlers' catch.
TEST(FuzzRegression, SegmentBodyWithANumberOutOfRangeIsA400) {
  const KeySet keys({"wk_test"});
  IngestJob job;
  HttpResponse error;
  HttpRequest req = Post("/v1/batch", R"({"writeKey":"wk_test","batch":[{"n":1e999}]})");
  ASSERT_FALSE(PrepareSegmentJob(req, "batch", keys, 1, job, error));
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.body,
            R"j({"error":"body: not valid JSON (a number is malformed or out of range)"})j");
}

TEST(FuzzRegression, RecordsArrayWithANumberOutOfRangeIsA400) {
  IngestJob job;
  HttpResponse error;
  ASSERT_FALSE(PrepareRecordsJob(Post("/v1/records", R"([{"n": -1e400}])"), 1, job, error));
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.body,
            R"j({"error":"body: not valid JSON (a number is malformed or out of range)"})j");
}

// Beast's base64 decode writes the bytes of a trailing partial quantum
// beyond decoded_size(n) = n / 4 * 3: unpadded credentials overflowed the
// heap buffer by up to 2 bytes (ASan in the fuzz target and the ASan suite).
TEST(FuzzRegression, BasicUserWithUnpaddedBase64StaysInItsBuffer) {
  // base64("wk_a_long_write_key_12345:") without its "=": 35 characters.
  EXPECT_EQ(BasicUser("Basic d2tfYV9sb25nX3dyaXRlX2tleV8xMjM0NTo"), "wk_a_long_write_key_12345");
  // ... and with a 2-character tail (one decoded byte).
  EXPECT_EQ(BasicUser("Basic d2tfYV9sb25nX3dyaXRlX2tleV8xMjM0Og"), "wk_a_long_write_key_1234");
}

}  // namespace
}  // namespace headroom::server
