#include "tests/unit/test.h"
static void test_todo(void) {}
int main(int argc, char **argv) { SL_TEST_MAIN_BEGIN(argc, argv); SL_RUN(test_todo); return SL_TEST_MAIN_END(); }
