// The header is the public op list: every function nerve.h declares must be exported by
// libnerve. Reads the header, finds each declared nv_* function and looks it up with dlsym.
#include <dlfcn.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#ifndef NERVE_HEADER
#error "NERVE_HEADER must name native/include/nerve.h"
#endif

int main() {
  std::ifstream in(NERVE_HEADER);
  if (!in) {
    std::printf("test_abi: cannot read %s\n", NERVE_HEADER);
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string header = text.str();
  // A declaration: a return type at the start of a line, then nv_name( .
  std::regex decl(R"((?:^|\n)(?:nv_status|int32_t|const char\*)\s+(nv_[a-z0-9_]+)\s*\()");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), decl); it != std::sregex_iterator(); ++it)
    names.insert((*it)[1].str());
  int missing = 0;
  for (const auto& name : names) {
    if (dlsym(RTLD_DEFAULT, name.c_str()) == nullptr) {
      std::printf("test_abi: %s is declared in nerve.h but libnerve does not export it\n", name.c_str());
      ++missing;
    }
  }
  std::printf("test_abi: %zu functions declared, %d missing\n", names.size(), missing);
  return missing == 0 && names.size() > 30 ? 0 : 1;
}
