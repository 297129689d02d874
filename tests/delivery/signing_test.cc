// Standard Webhooks signing: the published test vector, an independent
// implementation (python3 hmac/hashlib/base64 in a subprocess), base64 edge
// cases and the stable webhook-id.
#include "delivery/signing.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "delivery/helpers.h"

namespace headroom {
namespace {

// From the Standard Webhooks reference libraries' test_sign_function (checked
// with python3's hmac before relying on it).
TEST(Signing, MatchesTheStandardWebhooksTestVector) {
  auto sig = SignWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                         1614265330, R"({"test": 2432232314})");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(*sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // The prefix is optional, as in the reference libraries.
  EXPECT_EQ(*SignWebhook("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                         1614265330, R"({"test": 2432232314})"),
            *sig);
}

std::string Python(const std::string& script) {
  std::string out;
  FILE* p = ::popen(("python3 -c '" + script + "'").c_str(), "r");
  if (p == nullptr) return out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST(Signing, AgreesWithPythonHmacOnArbitraryBodies) {
  testing::TempDir dir;
  const std::string bodies[] = {"", R"({"type":"signal.created","data":{"name":"Ünïcødé 🚀"}})",
                                std::string(70'000, 'x') + "\n\"'"};
  const std::string secrets[] = {testing::kSecret, "whsec_" + Base64Encode("k"),
                                 "whsec_" + Base64Encode("ab"), "whsec_" + Base64Encode("abc")};
  // One python3 process computes every (body, secret) pair, one line each.
  std::string script = "import hmac,hashlib,base64\n";
  std::vector<std::string> expected_by_us;
  for (size_t i = 0; i < std::size(bodies); ++i) {
    const std::string path = dir.str() + "/body" + std::to_string(i);
    std::ofstream(path, std::ios::binary) << bodies[i];
    for (const auto& secret : secrets) {
      script += "k=base64.b64decode(\"" + secret.substr(6) + "\")\nb=open(\"" + path +
                "\",\"rb\").read()\nprint(\"v1,\"+base64.b64encode(hmac.new(k,"
                "b\"msg_x.1773316800.\"+b,hashlib.sha256).digest()).decode())\n";
      expected_by_us.push_back(*SignWebhook(secret, "msg_x", 1773316800, bodies[i]));
    }
  }
  std::ofstream(dir.str() + "/sign.py") << script;
  std::string out;
  FILE* p = ::popen(("python3 " + dir.str() + "/sign.py").c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  std::string joined;
  for (const auto& sig : expected_by_us) joined += sig + "\n";
  ASSERT_FALSE(out.empty()) << "python3 is required";
  EXPECT_EQ(out, joined);
}

TEST(Signing, Base64RoundTripsAndDropsPaddingBytes) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\x00\xff\x10"}) {
    auto back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(*Base64Decode("YWI="), "ab");
  EXPECT_EQ(*Base64Decode("YWI"), "ab");  // missing padding tolerated
  EXPECT_EQ(*Base64Decode("YQ=="), "a");
  EXPECT_FALSE(Base64Decode("YW!="));
  EXPECT_FALSE(WebhookKey("whsec_").ok());
  EXPECT_EQ(WebhookKey("whsec_%%").error().ToString(), "secret: must be whsec_ followed by base64");
}

TEST(Signing, WebhookIdIsDerivedFromTheEffectId) {
  const std::string a = WebhookIdFor("signal.created:acme:1:2026-03-12T12:00:00.000Z");
  EXPECT_EQ(a, WebhookIdFor("signal.created:acme:1:2026-03-12T12:00:00.000Z"));
  EXPECT_NE(a, WebhookIdFor("signal.created:acme:1:2026-03-12T12:00:00.001Z"));
  EXPECT_EQ(a.size(), 4u + 32u);
  EXPECT_EQ(a.rfind("msg_", 0), 0u);
  // Independent: SHA-256 by python, first 16 bytes in hex.
  EXPECT_EQ(a, "msg_" + Python("import hashlib;print(hashlib.sha256("
                               "b\"signal.created:acme:1:2026-03-12T12:00:00.000Z\")"
                               ".hexdigest()[:32])"));
}

}  // namespace
}  // namespace headroom
