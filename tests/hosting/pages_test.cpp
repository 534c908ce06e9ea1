#include "parley/hosting/pages.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "support/temp_dir.hpp"

namespace parley::hosting {
namespace {

class PagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("hello.mustache", "<p>Hello {{name}}</p>");
    dir_.write("broken.mustache", "<p>{{#open}} never closed</p>");
  }
  parley::testing::TempDir dir_;
};

TEST_F(PagesTest, ABrokenTemplateStopsStartupWhenChecked) {
  try {
    Pages pages(dir_.path());
    FAIL() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("broken.mustache"), std::string::npos) << error.what();
  }
}

TEST_F(PagesTest, UncheckedABrokenTemplateFailsOnlyItsOwnRender) {
  Pages pages(dir_.path(), {.check_at_startup = false});
  EXPECT_EQ(pages.render("hello", {{"name", "<Ada>"}}), "<p>Hello &lt;Ada&gt;</p>");
  EXPECT_THROW(pages.render("broken", {}), std::runtime_error);
  EXPECT_THROW(pages.render("missing", {}), std::out_of_range);
}

}  // namespace
}  // namespace parley::hosting
