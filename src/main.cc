#include "cli/cli.h"

int main(int argc, char** argv) { return headroom::RunCli(argc, argv); }
