#include "cli/commands.h"

int main(int argc, char** argv) { return driftd::run_cli(argc, argv); }
