// The knots executable: the library plus this main().
#include "cli/app.hpp"

int main(int argc, char** argv) {
  return knots::cli::main(argc, argv);
}
